//! The `wixcheck` binary: a thin shim over [`wixcheck::cli::run`].

use std::process::ExitCode;

/// The allocator. With glibc's, threads that allocate as they parse (`--jobs`, or a large
/// file read alongside its parser) meet at malloc's arena locks, and every growth of a
/// thread's arena is an `mprotect` that interrupts the other core: on the 2,000-file bench
/// project a `--jobs 2` run took about 1,000 such interrupts and 270 futex waits, and spent
/// 40% more CPU time than `--jobs 1`. jemalloc's per-thread caches need neither on most
/// calls (about 100 interrupts, no futex waits) and its peak memory is a little lower.
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() -> ExitCode {
    let status = wixcheck::cli::run(
        std::env::args_os(),
        &mut std::io::stdout(),
        &mut std::io::stderr(),
    );
    ExitCode::from(status.code())
}
