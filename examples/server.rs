//! The userpool server, kept as an example for `cargo run --release --example server`: an
//! alias of the `userpool-server` binary (`cargo run --release -p userpool-server`), which
//! owns the command line, configuration, health, metrics, TLS and shutdown. Every flag the
//! example had (`--port`, `--admin-credentials`, `--dev-outbox`, `--data-dir`,
//! `--database-url`, `--master-key-file`, `--public-url`, `--rate-limits`, `--trusted-proxy`,
//! …) is one of the binary's; see `userpool-server --help`.

fn main() -> std::process::ExitCode {
    userpool_server::main_with_args(std::env::args_os())
}
