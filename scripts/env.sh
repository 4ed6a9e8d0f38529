# Sourced by the scripts: one build directory outside the clone, shared by every script and by CI,
# so a CI run after a development session builds incrementally (like a CI cache).
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/merit/target}"
export MERIT_ROOT
MERIT_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export MERIT_NODE="${MERIT_NODE:-$CARGO_TARGET_DIR/debug/merit-node}"
# With the build directory outside the clone, substrate-wasm-builder cannot find the workspace's
# Cargo.lock from its OUT_DIR; the hint makes the WASM runtime build with the locked versions.
export WASM_BUILD_WORKSPACE_HINT="$MERIT_ROOT"
# Line-buffered, uncoloured output reads better in CI logs.
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
