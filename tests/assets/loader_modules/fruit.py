"""A module of assets, as ``load_assets_from_modules`` finds them."""

import assetloom as dg

apples_source = dg.SourceAsset(key="apples_raw", description="delivered by a vendor")


@dg.asset(deps=["apples_raw"])
def apples() -> int:
    return 3


@dg.asset
def pie(apples: int) -> str:
    return "pie" * apples


@dg.asset_check(asset=pie)
def pie_is_long(pie: str) -> dg.AssetCheckResult:
    return dg.AssetCheckResult(passed=len(pie) > 3)


here = dg.load_assets_from_current_module()
