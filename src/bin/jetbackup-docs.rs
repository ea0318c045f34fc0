//! `jetbackup-docs [ROOT]`: regenerates `ROOT/docs/` (default: the current
//! directory) from the provider's schema and `ROOT/examples/`.

fn main() {
    let root = std::path::PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| ".".into()));
    let pages = match jetbackup::docs::pages(&root) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("jetbackup-docs: {e}");
            std::process::exit(1);
        }
    };
    for page in pages {
        let path = root.join(&page.path);
        if let Some(dir) = path.parent() {
            if let Err(e) = std::fs::create_dir_all(dir) {
                eprintln!("jetbackup-docs: cannot create {}: {e}", dir.display());
                std::process::exit(1);
            }
        }
        if let Err(e) = std::fs::write(&path, page.content) {
            eprintln!("jetbackup-docs: cannot write {}: {e}", path.display());
            std::process::exit(1);
        }
        println!("wrote {}", page.path);
    }
}
