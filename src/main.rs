//! The `plancheck` binary: all work happens in the library's `cli` module.

/// mimalloc rather than the system allocator: checking a batch allocates
/// many small, short-lived values per record (a tenth of the time went to
/// glibc's malloc and free), and mimalloc's per-thread free lists also
/// keep two threads from contending.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    plancheck::cli::main()
}
