//! The log as a node keeps it: the hash of every complete subtree, each at a fixed index,
//! in the layout of Go's `golang.org/x/mod/sumdb/tlog` (the design behind C2SP
//! tlog-tiles). Appending leaf `n` writes the leaf hash and the hashes of the subtrees
//! it completes, at consecutive indexes from [`stored_hash_index`]`(0, n)`; a tree hash
//! or a proof then reads O(log n) of them in one [`HashReader::read_hashes`] call.
//!
//! The node owns the storage (SQLite or PostgreSQL rows keyed by index); this module
//! only says which indexes to read and write, and computes with what it is given.

use crate::hash::{Hash, empty_root, node_hash};
use crate::proof::{ConsistencyProof, InclusionProof};

/// Reads stored hashes by index. The node implements it over its database.
pub trait HashReader {
    /// The store's own failure, carried to the caller inside [`TreeError::Read`].
    type Error: std::error::Error + 'static;

    /// The hashes stored at `indexes`, in the same order. The functions here always ask
    /// for indexes in increasing order, each at most once, all below
    /// [`stored_hash_count`] of the tree size asked about.
    fn read_hashes(&self, indexes: &[u64]) -> Result<Vec<Hash>, Self::Error>;
}

/// Why a tree hash or proof could not be computed from the store.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TreeError<E: std::error::Error + 'static> {
    #[error("reading stored hashes")]
    Read(#[source] E),
    /// The store broke the [`HashReader`] contract; computing on would give a wrong hash.
    #[error("the store returned {got} hashes for {asked} indexes")]
    ShortRead { asked: usize, got: usize },
    #[error("leaf index {index} is outside a tree of {size} leaves")]
    IndexOutOfRange { index: u64, size: u64 },
    #[error("no consistency proof exists from {old} to {new} leaves")]
    InvalidSizes { old: u64, new: u64 },
}

/// A slice of all stored hashes in index order is a store: the node's in-process cache,
/// and the reference the database-backed stores are tested against.
impl HashReader for [Hash] {
    type Error = MissingHash;

    fn read_hashes(&self, indexes: &[u64]) -> Result<Vec<Hash>, MissingHash> {
        indexes
            .iter()
            .map(|&i| {
                usize::try_from(i)
                    .ok()
                    .and_then(|i| self.get(i))
                    .copied()
                    .ok_or(MissingHash { index: i })
            })
            .collect()
    }
}

impl HashReader for Vec<Hash> {
    type Error = MissingHash;

    fn read_hashes(&self, indexes: &[u64]) -> Result<Vec<Hash>, MissingHash> {
        self.as_slice().read_hashes(indexes)
    }
}

/// An in-memory store was asked for an index it does not hold.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("no hash stored at index {index}")]
pub struct MissingHash {
    pub index: u64,
}

/// Storage index of the hash of the `n`th complete subtree of height `level` (leaf
/// hashes are level 0), that is of leaves `[n << level, (n + 1) << level)`.
pub fn stored_hash_index(level: u32, n: u64) -> u64 {
    // Level L's nth hash is written right after level L-1's (2n+1)th hash, which is
    // the leaf-level hash of leaf ((n+1) << L) - 1, followed by one hash per level.
    let mut n = n;
    for _ in 0..level {
        n = 2 * n + 1;
    }
    // Leaf n's hash comes after the n + n/2 + n/4 + ... hashes of the leaves before it.
    let mut i = 0;
    while n > 0 {
        i += n;
        n >>= 1;
    }
    i + u64::from(level)
}

/// Number of hashes stored for a tree of `size` leaves.
pub fn stored_hash_count(size: u64) -> u64 {
    if size == 0 {
        return 0;
    }
    // Leaf size-1 completes one subtree per trailing one bit of its index.
    stored_hash_index(0, size - 1) + 1 + u64::from((size - 1).trailing_ones())
}

/// The hashes to store when appending leaf `n` (the tree has `n` leaves before it), at
/// indexes `stored_hash_index(0, n)` onwards: the leaf hash, then the hash of each
/// subtree it completes. Reads one stored hash per completed subtree.
pub fn stored_hashes<R: HashReader + ?Sized>(
    n: u64,
    leaf_hash: Hash,
    store: &R,
) -> Result<Vec<Hash>, TreeError<R::Error>> {
    let completed = n.trailing_ones();
    // The left siblings, highest level first so that indexes increase.
    let indexes: Vec<u64> = (0..completed)
        .rev()
        .map(|level| stored_hash_index(level, (n >> level) - 1))
        .collect();
    let siblings = read(store, &indexes)?;
    let mut hashes = Vec::with_capacity(indexes.len() + 1);
    let mut h = leaf_hash;
    hashes.push(h);
    for sibling in siblings.iter().rev() {
        h = node_hash(sibling, &h);
        hashes.push(h);
    }
    Ok(hashes)
}

/// Root hash of the tree of `size` leaves (`SHA-256()` for the empty tree).
pub fn tree_hash<R: HashReader + ?Sized>(
    size: u64,
    store: &R,
) -> Result<Hash, TreeError<R::Error>> {
    if size == 0 {
        return Ok(empty_root());
    }
    let mut need = Vec::new();
    subtree_indexes(0, size, &mut need);
    let hashes = read(store, &need)?;
    let mut hashes = hashes.as_slice();
    Ok(subtree_hash(0, size, &mut hashes))
}

/// Inclusion proof of leaf `index` in the tree of `size` leaves (RFC 9162 §2.1.3.1).
pub fn prove_inclusion<R: HashReader + ?Sized>(
    size: u64,
    index: u64,
    store: &R,
) -> Result<InclusionProof, TreeError<R::Error>> {
    if index >= size {
        return Err(TreeError::IndexOutOfRange { index, size });
    }
    let mut need = Vec::new();
    walk_inclusion(0, size, index, &mut Indexes(&mut need));
    let hashes = read(store, &need)?;
    let mut build = Hashes {
        hashes: hashes.as_slice(),
        path: Vec::new(),
    };
    walk_inclusion(0, size, index, &mut build);
    Ok(InclusionProof {
        index,
        size,
        path: build.path,
    })
}

/// Consistency proof from the tree of `old` leaves to the tree of `new` leaves
/// (RFC 9162 §2.1.4.1); `0 < old <= new`.
pub fn prove_consistency<R: HashReader + ?Sized>(
    old: u64,
    new: u64,
    store: &R,
) -> Result<ConsistencyProof, TreeError<R::Error>> {
    if old == 0 || old > new {
        return Err(TreeError::InvalidSizes { old, new });
    }
    let mut need = Vec::new();
    walk_consistency(0, new, old, &mut Indexes(&mut need));
    let hashes = read(store, &need)?;
    let mut build = Hashes {
        hashes: hashes.as_slice(),
        path: Vec::new(),
    };
    walk_consistency(0, new, old, &mut build);
    Ok(ConsistencyProof {
        old_size: old,
        new_size: new,
        path: build.path,
    })
}

/// Reads `indexes` (in the order a walk needs them) with one call that asks for them in
/// increasing order without repeats, as the [`HashReader`] contract promises the store.
fn read<R: HashReader + ?Sized>(
    store: &R,
    indexes: &[u64],
) -> Result<Vec<Hash>, TreeError<R::Error>> {
    if indexes.is_empty() {
        return Ok(Vec::new());
    }
    let mut sorted = indexes.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    let hashes = store.read_hashes(&sorted).map_err(TreeError::Read)?;
    if hashes.len() != sorted.len() {
        return Err(TreeError::ShortRead {
            asked: sorted.len(),
            got: hashes.len(),
        });
    }
    Ok(indexes
        .iter()
        .map(|i| {
            let at = sorted.binary_search(i).expect("every index was asked for");
            hashes[at]
        })
        .collect())
}

/// Largest power of two strictly below `n` (n ≥ 2): where RFC 6962 splits a tree.
fn split(n: u64) -> u64 {
    debug_assert!(n >= 2);
    1 << (63 - (n - 1).leading_zeros())
}

/// The complete subtrees that make up leaves `[lo, hi)`, left to right: each the largest
/// power of two that fits. Their stored hashes give the range's hash.
fn subtree_indexes(mut lo: u64, hi: u64, need: &mut Vec<u64>) {
    while lo < hi {
        let level = 63 - (hi - lo).leading_zeros();
        debug_assert_eq!(lo & ((1 << level) - 1), 0, "subtrees start aligned");
        need.push(stored_hash_index(level, lo >> level));
        lo += 1 << level;
    }
}

/// Hash of leaves `[lo, hi)` from the hashes [`subtree_indexes`] named, consuming them.
fn subtree_hash(mut lo: u64, hi: u64, hashes: &mut &[Hash]) -> Hash {
    let mut count = 0;
    while lo < hi {
        lo += 1 << (63 - (hi - lo).leading_zeros());
        count += 1;
    }
    let (mine, rest) = hashes.split_at(count);
    *hashes = rest;
    let (last, others) = mine.split_last().expect("a non-empty range has a subtree");
    others
        .iter()
        .rev()
        .fold(*last, |h, left| node_hash(left, &h))
}

/// The proof walks are written once and run twice: first to list the indexes to read,
/// then to turn the hashes read into the path, so the two can never disagree.
trait Walk {
    fn subtree(&mut self, lo: u64, hi: u64);
}

struct Indexes<'a>(&'a mut Vec<u64>);

impl Walk for Indexes<'_> {
    fn subtree(&mut self, lo: u64, hi: u64) {
        subtree_indexes(lo, hi, self.0);
    }
}

struct Hashes<'a> {
    hashes: &'a [Hash],
    path: Vec<Hash>,
}

impl Walk for Hashes<'_> {
    fn subtree(&mut self, lo: u64, hi: u64) {
        let h = subtree_hash(lo, hi, &mut self.hashes);
        self.path.push(h);
    }
}

/// RFC 9162 `PATH(m, D[lo:hi])`, leaf to root, for `lo <= m < hi`.
fn walk_inclusion(lo: u64, hi: u64, m: u64, walk: &mut impl Walk) {
    if hi - lo == 1 {
        return;
    }
    let k = split(hi - lo);
    if m < lo + k {
        walk_inclusion(lo, lo + k, m, walk);
        walk.subtree(lo + k, hi);
    } else {
        walk_inclusion(lo + k, hi, m, walk);
        walk.subtree(lo, lo + k);
    }
}

/// RFC 9162 `SUBPROOF(m, D[lo:hi], lo == 0)` for `lo < m <= hi`: while the range starts
/// at leaf 0 it is the old tree itself, whose root the verifier holds.
fn walk_consistency(lo: u64, hi: u64, m: u64, walk: &mut impl Walk) {
    if m == hi {
        if lo != 0 {
            walk.subtree(lo, hi);
        }
        return;
    }
    let k = split(hi - lo);
    if m <= lo + k {
        walk_consistency(lo, lo + k, m, walk);
        walk.subtree(lo + k, hi);
    } else {
        walk_consistency(lo + k, hi, m, walk);
        walk.subtree(lo, lo + k);
    }
}
