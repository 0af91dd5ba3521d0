//! The vectors under `tests/vectors` are an unmodified copy of `../shared/vectors`, made by
//! other implementations. This test fails when the copy drifts from the source. It is skipped
//! where the source does not exist, as on a clone outside the original workspace.

use std::path::{Path, PathBuf};

fn files_under(root: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut folders = vec![root.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).expect("vector folder is readable") {
            let path = entry.expect("directory entry is readable").path();
            if path.is_dir() {
                folders.push(path);
            } else {
                files.push(
                    path.strip_prefix(root)
                        .expect("path is under root")
                        .to_path_buf(),
                );
            }
        }
    }
    files.sort();
    files
}

#[test]
fn vectors_equal_shared_source() {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let shared = manifest.join("../shared/vectors");
    let copy = manifest.join("tests/vectors");
    if !shared.is_dir() {
        eprintln!(
            "skipped: {} does not exist on this machine",
            shared.display()
        );
        return;
    }

    let shared_files = files_under(&shared);
    assert_eq!(
        files_under(&copy),
        shared_files,
        "the copy has other files than the source"
    );
    for file in shared_files {
        let source = std::fs::read(shared.join(&file)).expect("shared vector is readable");
        let copied = std::fs::read(copy.join(&file)).expect("copied vector is readable");
        assert!(
            source == copied,
            "tests/vectors/{} differs from the shared source",
            file.display()
        );
    }
}
