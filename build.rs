//! Fingerprints what the embedded rule pack is made from (plancheck's
//! version, every `rules/*.rules` file and the plan it cites), so that the
//! binary can trust `rules/pack.prechecked` only when it was made from
//! exactly these texts, without hashing them at every start.

use std::path::Path;

fn fnv(h: &mut u64, bytes: &[u8]) {
    for b in bytes.iter().chain(&[0xff]) {
        *h = (*h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
    }
}

fn main() {
    let root = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| ".".into());
    let rules = Path::new(&root).join("rules");
    let plan = "seeds/liaocheng-13th-five-year-plan.txt";
    println!("cargo:rerun-if-changed=rules");
    println!("cargo:rerun-if-changed={plan}");
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    fnv(
        &mut h,
        std::env::var("CARGO_PKG_VERSION")
            .unwrap_or_default()
            .as_bytes(),
    );
    let mut files: Vec<_> = std::fs::read_dir(&rules)
        .map(|d| d.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_default();
    files.retain(|p: &std::path::PathBuf| p.extension().is_some_and(|e| e == "rules"));
    files.sort();
    for f in files {
        println!("cargo:rerun-if-changed={}", f.display());
        let name = f
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        fnv(&mut h, name.as_bytes());
        fnv(&mut h, &std::fs::read(&f).unwrap_or_default());
    }
    fnv(&mut h, plan.as_bytes());
    fnv(
        &mut h,
        &std::fs::read(Path::new(&root).join(plan)).unwrap_or_default(),
    );
    println!("cargo:rustc-env=PLANCHECK_EMBEDDED_FINGERPRINT={h:016x}");
}
