//! `surreal start …`: the SurrealDB server, exactly as the official binary runs it (same command
//! line), with the community composition of storage engines, router and observability.

// The server's futures are deeply nested types (as in surrealdb-server itself).
#![recursion_limit = "256"]

fn main() -> std::process::ExitCode {
    surrealdb_server::init(surrealdb_server::core::CommunityComposer())
}
