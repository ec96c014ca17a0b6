//! The `userpool-server` binary: see `userpool-server --help`.

fn main() -> std::process::ExitCode {
    userpool_server::main_with_args(std::env::args_os())
}
