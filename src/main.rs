//! The `plancheck` binary: all work happens in the library's `cli` module.

fn main() -> std::process::ExitCode {
    plancheck::cli::main()
}
