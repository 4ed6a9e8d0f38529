# Sourced by the scripts: one build directory outside the clone, shared by every script and by CI,
# so a CI run after a development session builds incrementally (like a CI cache).
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/merit/target}"
export MERIT_ROOT
MERIT_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export MERIT_NODE="${MERIT_NODE:-$CARGO_TARGET_DIR/debug/merit-node}"
# Line-buffered, uncoloured output reads better in CI logs.
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
