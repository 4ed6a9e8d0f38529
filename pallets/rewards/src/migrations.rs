//! Storage migrations of the rewards pallet.
//!
//! Storage version history:
//! - 0: reward terms in their own `Terms` map, set by a second call after creation; the pool was
//!   held by the challenges pallet.
//! - 1: each challenge's [`crate::Pools`] entry holds the pool (under this pallet's hold reason),
//!   its reward shares, its terms (given at creation) and its refunds. No chain ran version 0 with
//!   lasting state (every network so far was a development chain with temporary storage), so no
//!   v0 → v1 migration is shipped; a chain that needs one would move each v0 pool's hold from the
//!   challenges pallet's reason to this pallet's and build `Pools` from the v0 challenge records.
