import assetloom as dg


@dg.asset(deps=["cleaned_transactions", "risky_customers", "risky_transactions"])
def aggregated_metrics(warehouse: dg.DuckDBResource) -> dg.MaterializeResult:
    """Counts and totals over the cleaned and risky tables."""
    [(cleaned, risky, total)] = warehouse.execute(
        """
        SELECT
            (SELECT count(*) FROM cleaned_transactions),
            (SELECT count(*) FROM risky_transactions),
            (SELECT coalesce(sum(amount), 0) FROM risky_transactions)
        """
    )
    return dg.MaterializeResult(
        metadata={
            "cleaned_transactions": cleaned,
            "risky_transactions": risky,
            "risky_amount": float(total),
        }
    )
