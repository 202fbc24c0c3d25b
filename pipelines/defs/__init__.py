"""Dagster definitions by concern: resources, assets."""
