//! `sis-allocator`: the node's allocator (mimalloc) and its two settings, chosen by
//! measurement.
//!
//! `cargo xtask bench` (hostile load, release build, same run) measured the node's RSS
//! 5 s after 19,500 slowloris connections had closed: glibc kept 154 MiB of a 159 MiB
//! peak (two arenas: 167 MiB), jemalloc 122, mimalloc with its defaults 172–183, and
//! mimalloc with lazy arena commit and immediate purging 100 MiB, idle 35 MiB as on
//! glibc, with `/healthz` p99 under load alike. Those two settings are applied here; an
//! operator's `MIMALLOC_*` environment still wins.

use std::os::raw::c_long;

pub use mimalloc::MiMalloc;

/// `mi_option_arena_eager_commit` in mimalloc 3's `mimalloc.h` (`mi_option_t`).
const ARENA_EAGER_COMMIT: libmimalloc_sys::mi_option_t = 4;
/// `mi_option_purge_delay` in mimalloc 3's `mimalloc.h`.
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Commits arena memory as it is used and gives freed pages back at once.
pub fn tune() {
    set_unless_in_environment(ARENA_EAGER_COMMIT, "MIMALLOC_ARENA_EAGER_COMMIT", 0);
    set_unless_in_environment(PURGE_DELAY, "MIMALLOC_PURGE_DELAY", 0);
}

fn set_unless_in_environment(option: libmimalloc_sys::mi_option_t, variable: &str, value: c_long) {
    if std::env::var_os(variable).is_none() {
        #[allow(unsafe_code)]
        // SAFETY: mimalloc documents `mi_option_set` as callable at any time from any
        // thread; the value is a plain integer for both options.
        unsafe {
            libmimalloc_sys::mi_option_set(option, value)
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn get(option: libmimalloc_sys::mi_option_t) -> c_long {
        #[allow(unsafe_code)]
        // SAFETY: reading an option is a plain call with an integer argument.
        unsafe {
            libmimalloc_sys::mi_option_get(option)
        }
    }

    /// The two numbers name the options meant: mimalloc 3's defaults for them are 2 and 1000
    /// (an option of another number would not have both), and `tune` sets both to 0.
    #[test]
    fn tune_sets_the_two_options_it_names() {
        if std::env::var_os("MIMALLOC_ARENA_EAGER_COMMIT").is_some()
            || std::env::var_os("MIMALLOC_PURGE_DELAY").is_some()
        {
            return;
        }
        assert_eq!(get(ARENA_EAGER_COMMIT), 2, "default of arena_eager_commit");
        assert_eq!(get(PURGE_DELAY), 1000, "default of purge_delay");
        tune();
        assert_eq!(get(ARENA_EAGER_COMMIT), 0);
        assert_eq!(get(PURGE_DELAY), 0);
    }
}
