//! The committed `generated/client.rs` must equal what `build.rs` generates from the spec.

#[test]
fn generated_copy_matches_build_output() {
    let built = include_str!(concat!(env!("OUT_DIR"), "/client.rs"));
    let committed = include_str!("../generated/client.rs");

    if built != committed {
        let line = built
            .lines()
            .zip(committed.lines())
            .position(|(a, b)| a != b)
            .unwrap_or_else(|| built.lines().count().min(committed.lines().count()))
            + 1;
        panic!(
            "generated/client.rs differs from the build output from line {line}; \
             run `cargo xtask codegen` and commit the result"
        );
    }
}
