#!/usr/bin/env bash
# Install the real yaml-language-server (from the npm registry) into .ci/node_modules, for the
# editor test in tests/schema/test_editor_clients.py. Usage:
#   bash scripts/install-yaml-language-server.sh [PREFIX]     (PREFIX defaults to .ci)
# The test finds the server at $YAML_LANGUAGE_SERVER or <repo>/.ci/node_modules.
set -euo pipefail
VERSION="${YAML_LANGUAGE_SERVER_VERSION:-1.25.0}"
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
prefix="${1:-$repo/.ci}"
bin="$prefix/node_modules/yaml-language-server/bin/yaml-language-server"
if [[ -f "$bin" ]] && [[ "$(node -p "require('$prefix/node_modules/yaml-language-server/package.json').version" 2>/dev/null)" == "$VERSION" ]]; then
    echo "yaml-language-server $VERSION already installed in $prefix"
    exit 0
fi
command -v npm >/dev/null || { echo "npm is not installed (apt-get install nodejs npm)" >&2; exit 1; }
mkdir -p "$prefix"
npm install --prefix "$prefix" --no-save --no-audit --no-fund --loglevel=error \
    "yaml-language-server@$VERSION"
test -f "$bin"
echo "yaml-language-server $VERSION installed in $prefix"
