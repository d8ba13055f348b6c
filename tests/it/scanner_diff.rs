//! Differential test of the source scanner against javac's own parser.
//!
//! A seeded generator writes a few thousand valid Java sources full of the
//! constructs that trip hand-written scanners (comments and literals that
//! contain code, unicode escapes, annotations with braces, generics, nested,
//! local and anonymous classes, records, enums with bodies, sealed types,
//! module and package declarations, and every kind of would-be main method).
//! `tests/fixtures/scanner/TreeDump.java` parses them all in one JVM with
//! javac's tree API and prints each file's package, top-level types and
//! launch kinds under the JDK 25 launch protocol; `scanner::parse` must say
//! the same for every file.
//!
//! javac must be on PATH: without it the test fails, since CI always has a
//! JDK. Compact source files need a JDK 25 javac: their test is ignored,
//! with the reason, when the build found none (they are also covered by the
//! scanner's unit tests).
//!
//! Self-contained on purpose: no shared test helpers, no extra crates.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use jbuild::scanner::{Declarations, MainKind, parse};

const SEED: u64 = 0x6a62_7569_6c64_0001;
/// Ordinary files, parsed with the javac on PATH (JDK 17 or later).
const FILES: usize = 3000;
/// Compact source files, parsed only by a JDK 25+ javac.
const COMPACT_FILES: usize = 300;

#[test]
fn scanner_agrees_with_javac() {
    let started = Instant::now();
    let jdk = JdkTools::on_path().unwrap_or_else(|| {
        panic!("javac not found on PATH: this test needs a JDK (CI always has one)");
    });
    let work = tempfile::tempdir().unwrap();
    let tree_dump = compile_tree_dump(&jdk, work.path());

    let mut rng = Rng(SEED);
    let mut sources = Vec::new();
    for index in 0..FILES {
        let (relative, text) = Generator::new(&mut rng, index).ordinary_file();
        sources.push(write_source(work.path(), &relative, &text));
    }
    for (stem, text) in EDGE_FILES {
        sources.push(write_source(work.path(), &format!("edge/{stem}.java"), text));
    }
    let dumps = tree_dump.run(&jdk.java, work.path(), &sources);
    let report = compare(&sources, &dumps);
    eprintln!(
        "scanner_diff: {} files, {} top-level types ({}), {:.1}s so far",
        sources.len(),
        report.types,
        report.kinds_summary(),
        started.elapsed().as_secs_f64()
    );
    report.assert_clean();
    // The generator must keep covering every outcome, or the test proves little.
    for kind in ["classic", "instance", "none"] {
        assert!(report.kinds.get(kind).copied().unwrap_or(0) >= 200, "too few `{kind}` types: {:?}", report.kinds);
    }
    assert!(
        report.modules >= 20 && report.packages >= 1000,
        "{} modules, {} packages",
        report.modules,
        report.packages
    );

    eprintln!("scanner_diff: done in {:.1}s", started.elapsed().as_secs_f64());
}

/// Compact source files (JDK 25) and a sample of the others, parsed by a
/// JDK 25 javac.
#[test]
#[cfg_attr(not(jbuild_jdk25), ignore = "needs a JDK 25 under /usr/lib/jvm or JAVA_HOME")]
fn scanner_agrees_with_jdk_25_javac_on_compact_source_files() {
    let jdk25 = JdkTools::jdk_25().expect("a JDK 25 (found when the tests were built)");
    let work = tempfile::tempdir().unwrap();
    let tree_dump = compile_tree_dump(&jdk25, work.path());
    let mut rng = Rng(SEED);
    let mut sources25 = Vec::new();
    for index in 0..FILES {
        let (relative, text) = Generator::new(&mut rng, index).ordinary_file();
        if index % 10 == 0 {
            sources25.push(write_source(work.path(), &relative, &text));
        }
    }
    for index in 0..COMPACT_FILES {
        let (relative, text) = Generator::new(&mut rng, FILES + index).compact_file();
        sources25.push(write_source(work.path(), &relative, &text));
    }
    let dumps = tree_dump.run(&jdk25.java, work.path(), &sources25);
    let report = compare(&sources25, &dumps);
    eprintln!(
        "scanner_diff: JDK 25 pass: {} files, {} compact ({} launchable)",
        sources25.len(),
        report.compact,
        report.compact_launchable
    );
    report.assert_clean();
    assert!(report.compact == COMPACT_FILES && report.compact_launchable >= 100, "{report:?}");
    assert!(report.compact_launchable + 50 <= report.compact, "too few unlaunchable compact files");
}

fn write_source(root: &Path, relative: &str, text: &str) -> PathBuf {
    let path = root.join("src").join(relative);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, text).unwrap();
    path
}

// ---------------------------------------------------------------------------
// The JDK and TreeDump

struct JdkTools {
    javac: PathBuf,
    java: PathBuf,
}

impl JdkTools {
    /// `javac` on PATH, and the `java` beside it (through symlinks).
    fn on_path() -> Option<JdkTools> {
        let path = std::env::var_os("PATH")?;
        let javac = std::env::split_paths(&path).map(|dir| dir.join("javac")).find(|p| p.is_file())?;
        let real = std::fs::canonicalize(&javac).unwrap_or_else(|_| javac.clone());
        let beside = real.with_file_name("java");
        let java = if beside.is_file() { beside } else { PathBuf::from("java") };
        Some(JdkTools { javac, java })
    }

    /// A JDK of feature release 25 or later under /usr/lib/jvm, if any.
    fn jdk_25() -> Option<JdkTools> {
        let mut homes: Vec<PathBuf> =
            std::fs::read_dir("/usr/lib/jvm").ok()?.filter_map(|e| e.ok().map(|e| e.path())).collect();
        homes.sort();
        homes.into_iter().find_map(|home| {
            let release = std::fs::read_to_string(home.join("release")).ok()?;
            let version = release.lines().find_map(|l| l.strip_prefix("JAVA_VERSION="))?.trim_matches('"').to_owned();
            let feature: u32 = version.split(['.', '-', '+']).next()?.parse().ok()?;
            let (javac, java) = (home.join("bin/javac"), home.join("bin/java"));
            (feature >= 25 && javac.is_file() && java.is_file()).then_some(JdkTools { javac, java })
        })
    }
}

struct TreeDump {
    classes: PathBuf,
}

fn compile_tree_dump(jdk: &JdkTools, work: &Path) -> TreeDump {
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/scanner/TreeDump.java");
    let classes = work.join("tree-dump");
    let output = Command::new(&jdk.javac)
        .arg("-d")
        .arg(&classes)
        .arg(&source)
        .output()
        .unwrap_or_else(|e| panic!("running {}: {e}", jdk.javac.display()));
    assert!(output.status.success(), "compiling TreeDump failed:\n{}", String::from_utf8_lossy(&output.stderr));
    TreeDump { classes }
}

impl TreeDump {
    /// Parses all `sources` in one JVM; returns each file's dump, by path.
    fn run(&self, java: &Path, work: &Path, sources: &[PathBuf]) -> BTreeMap<PathBuf, Dump> {
        let list = work.join("sources.txt");
        let out = work.join("dump.txt");
        let lines: Vec<String> = sources.iter().map(|p| p.display().to_string()).collect();
        std::fs::write(&list, lines.join("\n") + "\n").unwrap();
        let output = Command::new(java)
            // Only read by TreeDump on a JDK with compact source files, to
            // tell an implicit class from a written one.
            .arg("--add-exports=jdk.compiler/com.sun.tools.javac.code=ALL-UNNAMED")
            .arg("--add-exports=jdk.compiler/com.sun.tools.javac.tree=ALL-UNNAMED")
            .arg("-XX:TieredStopAtLevel=1")
            .arg("-cp")
            .arg(&self.classes)
            .arg("TreeDump")
            .arg(&list)
            .arg(&out)
            .output()
            .unwrap_or_else(|e| panic!("running {}: {e}", java.display()));
        assert!(output.status.success(), "TreeDump failed:\n{}", String::from_utf8_lossy(&output.stderr));
        parse_dumps(&std::fs::read_to_string(&out).unwrap())
    }
}

/// What one file declares, as javac (or the scanner) sees it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Dump {
    package: Option<String>,
    module: bool,
    /// A compact source file's implicit class, and its launch kind.
    compact: Option<String>,
    types: Vec<(String, String)>,
    errors: Vec<String>,
}

fn parse_dumps(text: &str) -> BTreeMap<PathBuf, Dump> {
    let mut dumps = BTreeMap::new();
    let mut current: Option<(PathBuf, Dump)> = None;
    for line in text.lines() {
        let fields: Vec<&str> = line.split('\t').collect();
        match (fields[0], current.as_mut()) {
            ("file", _) => current = Some((PathBuf::from(fields[1]), Dump::default())),
            ("package", Some((_, dump))) => dump.package = Some(fields[1].to_owned()),
            ("module", Some((_, dump))) => dump.module = true,
            ("compact", Some((_, dump))) => dump.compact = Some(fields[1].to_owned()),
            ("type", Some((_, dump))) => dump.types.push((fields[1].to_owned(), fields[2].to_owned())),
            ("error", Some((_, dump))) => dump.errors.push(fields[1..].join("\t")),
            ("end", Some(_)) => {
                let (path, dump) = current.take().unwrap();
                dumps.insert(path, dump);
            }
            _ => panic!("unexpected TreeDump line: {line:?}"),
        }
    }
    dumps
}

fn scanner_dump(declarations: &Declarations) -> Dump {
    let kind = |main: Option<MainKind>| match main {
        Some(MainKind::Classic) => "classic",
        Some(MainKind::Instance) => "instance",
        None => "none",
    };
    Dump {
        package: declarations.package.clone(),
        module: declarations.is_module,
        compact: declarations.is_compact.then(|| kind(declarations.compact_main).to_owned()),
        types: declarations.types.iter().map(|t| (t.name.clone(), kind(t.main).to_owned())).collect(),
        errors: Vec::new(),
    }
}

#[derive(Debug, Default)]
struct Report {
    invalid: Vec<String>,
    invalid_count: usize,
    mismatches: Vec<String>,
    mismatch_count: usize,
    types: usize,
    kinds: BTreeMap<String, usize>,
    modules: usize,
    packages: usize,
    compact: usize,
    compact_launchable: usize,
}

impl Report {
    fn kinds_summary(&self) -> String {
        self.kinds.iter().map(|(k, n)| format!("{n} {k}")).collect::<Vec<_>>().join(", ")
    }

    fn assert_clean(&self) {
        assert!(
            self.invalid_count == 0,
            "the generator wrote {} file(s) javac rejects; first ones:\n{}",
            self.invalid_count,
            self.invalid.join("\n")
        );
        assert!(
            self.mismatch_count == 0,
            "scanner and javac disagree on {} file(s); first ones:\n{}",
            self.mismatch_count,
            self.mismatches.join("\n")
        );
    }
}

fn compare(sources: &[PathBuf], dumps: &BTreeMap<PathBuf, Dump>) -> Report {
    const SHOWN: usize = 5;
    let mut report = Report::default();
    for path in sources {
        let text = std::fs::read_to_string(path).unwrap();
        let Some(expected) = dumps.get(path) else { panic!("TreeDump said nothing about {}", path.display()) };
        let shown = |what: String| format!("=== {}\n{what}\n--- file text:\n{}\n", path.display(), excerpt(&text));
        if !expected.errors.is_empty() {
            report.invalid_count += 1;
            if report.invalid.len() < SHOWN {
                report.invalid.push(shown(format!("javac: {:?}", expected.errors)));
            }
            continue;
        }
        let actual = scanner_dump(&parse(&text));
        if actual != *expected {
            report.mismatch_count += 1;
            if report.mismatches.len() < SHOWN {
                report.mismatches.push(shown(format!("javac:   {expected:?}\nscanner: {actual:?}")));
            }
        }
        report.types += expected.types.len();
        for (_, kind) in &expected.types {
            *report.kinds.entry(kind.clone()).or_default() += 1;
        }
        report.modules += usize::from(expected.module);
        report.packages += usize::from(expected.package.is_some());
        if let Some(kind) = &expected.compact {
            report.compact += 1;
            report.compact_launchable += usize::from(kind != "none");
        }
    }
    report
}

fn excerpt(text: &str) -> String {
    const LIMIT: usize = 4000;
    if text.len() <= LIMIT {
        return text.to_owned();
    }
    let mut end = LIMIT;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}\n[... {} more bytes]", &text[..end], text.len() - end)
}

// ---------------------------------------------------------------------------
// The generator

/// SplitMix64: small, fast, and the same on every platform.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }

    fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            items.swap(i, self.below(i + 1));
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Class,
    AbstractClass,
    Interface,
    Enum,
    Record,
    Annotation,
}

impl Kind {
    fn bit(self) -> u8 {
        match self {
            Kind::Class => C,
            Kind::AbstractClass => A,
            Kind::Interface => I,
            Kind::Enum => E,
            Kind::Record => R,
            Kind::Annotation => N,
        }
    }
}

const C: u8 = 1;
const A: u8 = 2;
const I: u8 = 4;
const E: u8 = 8;
const R: u8 = 16;
const N: u8 = 32;
/// Where a member is valid Java: any class-like body but annotations.
const CAER: u8 = C | A | E | R;
const CAERI: u8 = CAER | I;

/// Would-be main methods: (template, group, where valid). Groups: 0 takes
/// `String[]` (after erasure), 1 takes nothing, 2 is some other method named
/// like main. A type declares at most one of each group, as javac requires
/// distinct signatures. `{B}` is a body, `{S}` the type's own name.
const MAINS: &[(&str, u8, u8)] = &[
    ("public static void main(String[] args) {B}", 0, CAERI),
    ("public static void main(String... args) {B}", 0, CAERI),
    ("public static void main(String args[]) {B}", 0, CAERI),
    ("static public void main(final String[] args) {B}", 0, CAERI),
    ("public static void main(@SuppressWarnings(\"x\") final String... args) {B}", 0, CAERI),
    ("public static void main(java.lang.String[] args) {B}", 0, CAERI),
    ("public static void main(final java.lang.@Ann({1, 2}) String @Ann [] args) {B}", 0, CAERI),
    ("public static void main(String[] args) throws IOException, InterruptedException {B}", 0, CAERI),
    (
        "public static void main(String[] args)\n        throws java.io.IOException, @Ann RuntimeException, Error {B}",
        0,
        CAERI,
    ),
    ("public final static synchronized strictfp void main(String[] a) {B}", 0, CAER),
    ("@Deprecated(since = \"{\") public static void main(String[] args) {B}", 0, CAERI),
    ("public static <T> void main(String[] args) {B}", 0, CAERI),
    ("public static <T extends String> void main(T[] args) {B}", 0, CAERI),
    ("public static <T extends java.lang.String & Comparable<T>> void main(T... args) {B}", 0, CAERI),
    ("public static native void main(String[] args);", 0, CAER),
    ("static void main(String[] args) {B}", 0, CAERI),
    ("protected static void main(String[] args) {B}", 0, CAER),
    ("private static void main(String[] args) {B}", 0, CAERI),
    ("public static int main(String[] args) { return 0; }", 0, CAERI),
    ("void main(String[] args) {B}", 0, CAER),
    ("public void main(String[] args) {B}", 0, CAER),
    ("void main(final String... args) throws Exception {B}", 0, CAER),
    ("abstract void main(String[] args);", 0, A),
    ("void main(String[] args);", 0, I),
    ("default void main(String[] args) {B}", 0, I),
    ("void main() {B}", 1, CAER),
    ("static void main() {B}", 1, CAERI),
    ("public void main() {B}", 1, CAER),
    ("protected void main() throws Exception, Error {B}", 1, CAER),
    ("private void main() {B}", 1, CAERI),
    ("int main() { return 0; }", 1, CAER),
    ("public static int main() { return 0; }", 1, CAERI),
    ("void main({S} this) {B}", 1, CAER),
    ("default void main() {B}", 1, I),
    ("void main();", 1, I),
    ("public abstract void main();", 1, A),
    ("static synchronized void main() {B}", 1, CAER),
    ("final void main() {B}", 1, CAER),
    ("native void main();", 1, CAER),
    ("public static <T> void main() {B}", 1, CAERI),
    ("public static void main(String[][] args) {B}", 2, CAERI),
    ("public static void main(Object[] args) {B}", 2, CAERI),
    ("public static void main(int argc) {B}", 2, CAERI),
    ("public static void main(String a, String b) {B}", 2, CAERI),
    ("public static void main(String[] args, int n) {B}", 2, CAERI),
    ("public static void main(java.util.List<String> args) {B}", 2, CAERI),
    ("public static <T> void main(T[] args) {B}", 2, CAERI),
    ("public static <String> void main(String[] args) {B}", 2, CAERI),
    ("public static void main(String args) {B}", 2, CAERI),
    ("public static void Main(String[] args) {B}", 2, CAERI),
    ("public static void mainly(String[] args) {B}", 2, CAERI),
    ("static void main(int... xs) {B}", 2, CAERI),
];

/// Method bodies; each is a block.
const BODIES: &[&str] = &[
    "{ }",
    "{\n        System.out.println(\"}\");\n    }",
    "{ int x = 1; if (x < 2 && x > 0) { x++; } }",
    "{ String s = \"class X { public static void main(String[] a) {} }\"; }",
    "{ char c = '}'; char d = '{'; char q = '\\''; char e = '\"'; }",
    "{\n        String t = \"\"\"\n            } class Hidden { void main() {} }\n            \\\"\"\" still inside \\\n            \"\"\";\n    }",
    "{ Runnable r = () -> { }; r.run(); }",
    "{ var record = 1; int sealed = 2, permits = 3; switch (record) { case 1 -> { } default -> { } } }",
    "{ class Local { public static void main(String[] args) { } } new Local(); }",
    "{ Object o = new Object() { public void main() { } @Override public String toString() { return \"{\"; } }; }",
    "{ // }\n    }",
    "{ /* } */ }",
    "{ int[][] m = {{1}, {2, 3}}; long n = 0x1F_FFL + 1_000L + 0b1010; double d = .5e-3 + 1e10 + 0x1.8p1; }",
    "{ java.util.List<java.util.Map<String, int[]>> l = new java.util.ArrayList<>(); boolean b = 1 >> 2 > 0; }",
    "{ String u = \"\\u0041\\\\u0042\"; char c = '\\u007b'; }",
];

const TYPE_ANNOTATIONS: &[&str] = &[
    "@Deprecated",
    "@SuppressWarnings({\"unchecked\", \"rawtypes\"})",
    "@Ann(value = {1, 2}, s = \"{\", k = String.class)",
    "@a.b.Ann(@Inner({\"}\"}))",
    "@FunctionalInterface",
];

const PRE_COMMENTS: &[&str] = &[
    "",
    "/*\n * Copyright.\n * class Fake { public static void main(String[] a) {} }\n */\n",
    "// package fake;\n",
    "/** Docs with {@code class X {} } and {@link #main(String[])}. */\n",
    "/* package fake; */ ",
    "/**/ ",
    "/*/ still a comment: class Fake { */\n",
];

/// Whitespace or a comment between two tokens.
const GAPS: &[&str] = &[
    " ",
    " ",
    " ",
    "\n",
    "\n    ",
    " /* c */ ",
    " /* class Hidden { public static void main(String[] a) {} } */ ",
    "\n// class Nope {\n",
    " /** {@code main} */ ",
    "\t",
];

/// Statement-free members that never declare a main of their own type.
const FIELDS: &[&str] = &[
    "int x{K} = 1;",
    "String s{K} = \"public static void main(String[] args) { }\";",
    "char c{K} = '{';",
    "String tb{K} = \"\"\"\n        class InText { void main() {} } }}}\n        \"\"\";",
    "int[] arr{K} = { 1, 2, 3 };",
    "int[][] grid{K} = { {1}, {2, 3} };",
    "Runnable r{K} = () -> { int y = 0; };",
    "Object o{K} = new Object() { public void main() { } public String toString() { return \"}\"; } };",
    "java.util.Map<String, java.util.List<Integer>> m{K} = new java.util.HashMap<>();",
    "int a{K} = 1, b{K} = 2, c{K} = a{K} < b{K} ? 3 : 4;",
    "Class<?> k{K} = String.class;",
    "String w{K} = \"\\\"}\" + '\\\\' + \"/* not a comment\" + \"// nor this\";",
    "// x \\u000a int esc{K} = 0;",
    "boolean f{K} = 1 < 2 && 3 > 2;",
    "String q{K} = \\u0022}\\u0022;",
    "char bs{K} = '\\u005c'';",
    "\\u002f* } class InEscapedComment { *\\u002f int ec{K} = 0;",
    "String uu{K} = \"\\uuu0041\\\\u0042\";",
];

/// Hand-written corner cases, added to every run: (file stem, text).
const EDGE_FILES: &[(&str, &str)] = &[
    ("Empty", ""),
    ("OnlyComments", "// class A {}\n/* class B { public static void main(String[] a) {} } */\n"),
    ("Control", "class Ct\u{1}l { public static void main(String[] a) {} }\n"),
    ("CtrlZ", "class CtrlZ { public static void main(String[] a) {} }\n\u{1a}"),
    (
        "Shift",
        "class Shift<T extends java.util.List<java.util.List<String>>> { public static void main(String[] a) {} }",
    ),
    ("TypeParamAnnotation", "class H<@A(x = 1 > 2) T> { public static void main(T[] a) {} }"),
    ("DeepEscape", "\\uuuu0063lass Deep { \\u0070ublic static void m\\u0061in(\\u0053tring[] a) {} }"),
    ("EscapedQuoteEnd", "class Tb { String t = \"\"\"\n  a\\\"\"\"\"; public static void main(String[] a) {} }"),
    ("RecordWords", "class K { int record; void record() {} record R() {} public static void main(String[] a) {} }"),
    (
        "NonSealedMinus",
        "class M { int non = 1, sealed = 2; int x = non-sealed; public static void main(String[] a) {} }",
    ),
    ("EmptyEnums", "enum Empty {}\nenum Semi { ; }\nenum Trailing { A, ; void main() {} }"),
    ("ReceiverAndArgs", "class L { void main(L this, String[] args) {} }"),
    ("LocalRecord", "class Q { void f() { record Local(int x) { public static void main(String[] a) {} } } }"),
    ("InterfaceNested", "interface I { class Impl { public static void main(String[] a) {} } }"),
    (
        "SealedMembers",
        "class O { sealed interface S permits P {} final class P implements S {} public static void main(String[] a) {} }",
    ),
    (
        "AnnotationDefaults",
        "@interface N { Class<?> k() default Object.class; int[] v() default {1, 2}; Inner i() default @Inner({1}); }",
    ),
    ("SwitchField", "class W { int x = switch (1) { case 1 -> { yield 2; } default -> 3; }; static void main() {} }"),
    ("GenericCtor", "class G { <T> G(T t) {} void main() {} }"),
    ("ArrayReturn", "class Arr { static int[] main(String[] a)[] { return null; } }"),
];

struct Generator<'r> {
    rng: &'r mut Rng,
    index: usize,
    next_name: usize,
}

impl<'r> Generator<'r> {
    fn new(rng: &'r mut Rng, index: usize) -> Generator<'r> {
        Generator { rng, index, next_name: 0 }
    }

    fn gap(&mut self) -> &'static str {
        self.rng.pick(GAPS)
    }

    fn name(&mut self) -> String {
        // Identifier characters beyond letters: a currency symbol, connecting
        // punctuation, a combining mark, and ignorable characters (a soft
        // hyphen, a zero-width joiner) that javac leaves out of the name.
        const PREFIXES: &[&str] = &[
            "T",
            "Main",
            "App",
            "Über",
            "数",
            "$D",
            "_U",
            "Ωmega",
            "x",
            "Prix€",
            "A‿B",
            "Cafe\u{301}",
            "Ma\u{ad}in",
            "Zw\u{200d}j",
        ];
        self.next_name += 1;
        format!("{}{}_{}", self.rng.pick(PREFIXES), self.index, self.next_name)
    }

    /// An ordinary compilation unit: (path relative to the source root, text).
    fn ordinary_file(&mut self) -> (String, String) {
        match self.rng.below(100) {
            0..=2 => return self.module_file(),
            3..=5 => return self.package_info_file(),
            _ => {}
        }
        let mut text = String::from(self.rng.pick(PRE_COMMENTS));
        let package = self.package(&mut text);
        for _ in 0..self.rng.below(4) {
            let import = self.rng.pick(&[
                "import java.util.*;",
                "import java.io.IOException;",
                "import static java.lang.Math.max;",
                "import java.util.function./* c */Function;",
                "import static java.util.Map.Entry;",
            ]);
            text.push_str(import);
            text.push('\n');
        }
        let count = self.rng.pick(&[1, 1, 1, 2, 2, 3, 4]);
        let mut stem = String::new();
        for i in 0..count {
            let name = self.name();
            if i == 0 {
                stem = name.clone();
            }
            text.push_str(self.rng.pick(PRE_COMMENTS));
            let kind = self.kind();
            text.push_str(&self.type_declaration(kind, &name, i == 0, 0));
            if self.rng.chance(10) {
                // An empty declaration (JDK 25 rejects some before the types).
                text.push_str(" ;");
            }
            text.push('\n');
        }
        let text = self.escape_some(text);
        let folder = package.map(|p| p.replace('.', "/") + "/").unwrap_or_default();
        (format!("{:05}/{folder}{stem}.java", self.index), text)
    }

    fn package(&mut self, text: &mut String) -> Option<String> {
        let n = self.index % 7;
        let (written, name) = match self.rng.below(8) {
            0 | 1 => return None,
            2 => (format!("package p{n};"), format!("p{n}")),
            3 => (format!("package a.b{n}.c;"), format!("a.b{n}.c")),
            4 => (format!("package /* x */ a . /* y */ b{n}\n    ;"), format!("a.b{n}")),
            5 => (format!("\\u0070ackage q{n};"), format!("q{n}")),
            6 => (format!("package paquête{n}.数;"), format!("paquête{n}.数")),
            _ => (format!("package\n// comment\nz{n}.\\u0079;"), format!("z{n}.y")),
        };
        text.push_str(&written);
        text.push('\n');
        Some(name)
    }

    fn module_file(&mut self) -> (String, String) {
        let mut text = String::from(self.rng.pick(PRE_COMMENTS));
        if self.rng.chance(30) {
            text.push_str("import java.sql.Driver;\n");
        }
        if self.rng.chance(30) {
            text.push_str("@Deprecated(since = \"}\") ");
        }
        if self.rng.chance(40) {
            text.push_str("open ");
        }
        let name = format!("com.example.m{}", self.index);
        text.push_str(&format!("module{}{name} {{\n", self.gap()));
        let directives = [
            "requires java.base;",
            "requires transitive java.sql;",
            "requires static java.compiler;",
            "exports com.example.api;",
            "exports com.example.spi to java.base, java.sql;",
            "opens com.example.model;",
            "uses java.sql.Driver;",
            "provides java.sql.Driver with com.example.A, com.example.B;",
            "// class NotAClass {}",
            "/* } */",
        ];
        for _ in 0..self.rng.below(6) {
            text.push_str("    ");
            text.push_str(self.rng.pick(&directives));
            text.push('\n');
        }
        text.push_str("}\n");
        (format!("{:05}/module-info.java", self.index), text)
    }

    fn package_info_file(&mut self) -> (String, String) {
        let mut text =
            String::from("/**\n * Package docs: class Fake { public static void main(String[] a) {} }\n */\n");
        if self.rng.chance(50) {
            text.push_str(self.rng.pick(TYPE_ANNOTATIONS));
            text.push('\n');
        }
        let package = self.package(&mut text).unwrap_or_else(|| {
            text.push_str("package fallback;\n");
            "fallback".to_owned()
        });
        if self.rng.chance(30) {
            text.push_str("import java.util.List;\n");
        }
        (format!("{:05}/{}/package-info.java", self.index, package.replace('.', "/")), text)
    }

    fn kind(&mut self) -> Kind {
        match self.rng.below(20) {
            0..=6 => Kind::Class,
            7 | 8 => Kind::AbstractClass,
            9..=11 => Kind::Interface,
            12..=14 => Kind::Enum,
            15..=18 => Kind::Record,
            _ => Kind::Annotation,
        }
    }

    /// A type declaration; `depth` > 0 for a nested one.
    fn type_declaration(&mut self, kind: Kind, name: &str, may_be_public: bool, depth: usize) -> String {
        let mut text = String::new();
        for _ in 0..self.rng.below(3) {
            text.push_str(self.rng.pick(TYPE_ANNOTATIONS));
            text.push_str(self.gap());
        }
        if may_be_public && self.rng.chance(50) {
            text.push_str("public ");
        }
        if depth > 0 && self.rng.chance(60) {
            text.push_str("static ");
        }
        let generic =
            matches!(kind, Kind::Class | Kind::AbstractClass | Kind::Interface | Kind::Record) && self.rng.chance(25);
        let sealed = matches!(kind, Kind::Class | Kind::AbstractClass | Kind::Interface) && self.rng.chance(15);
        match kind {
            Kind::AbstractClass => text.push_str("abstract "),
            Kind::Class if !sealed && self.rng.chance(15) => text.push_str(self.rng.pick(&["final ", "non-sealed "])),
            _ => {}
        }
        if sealed {
            text.push_str("sealed ");
        }
        if self.rng.chance(10) {
            text.push_str("strictfp ");
        }
        let keyword = match kind {
            Kind::Class | Kind::AbstractClass => "class",
            Kind::Interface => "interface",
            Kind::Enum => "enum",
            Kind::Record => "record",
            Kind::Annotation => "@interface",
        };
        text.push_str(keyword);
        text.push_str(self.gap());
        text.push_str(name);
        if generic {
            text.push_str(self.rng.pick(&[
                "<T>",
                "<T extends Comparable<? super T>, U>",
                "<S extends String>",
                "<K, V extends java.util.List<K>>",
                "<@Ann T extends Object & Runnable>",
            ]));
        }
        if kind == Kind::Record {
            text.push_str(self.rng.pick(&[
                "()",
                "()",
                "(int x)",
                "(int x, String... rest)",
                "(@Deprecated java.util.Map<String, Integer> m, int[] xs)",
                "(String s /* , int hidden */)",
            ]));
        }
        let clause = match kind {
            Kind::Class | Kind::AbstractClass => {
                self.rng.pick(&["", "", " extends Base<String>", " implements Runnable, java.io.Serializable"])
            }
            Kind::Interface => self.rng.pick(&["", "", " extends Comparable<String>, Cloneable"]),
            Kind::Enum | Kind::Record => self.rng.pick(&["", "", " implements Runnable"]),
            Kind::Annotation => "",
        };
        text.push_str(clause);
        if sealed {
            text.push_str(" permits Sub1, p.Sub2");
        }
        text.push_str(self.gap());
        text.push('{');
        text.push('\n');
        let mut members = self.members(kind, name, generic, depth);
        self.rng.shuffle(&mut members);
        if kind == Kind::Enum {
            text.push_str(&self.enum_constants(!members.is_empty()));
        }
        for member in members {
            text.push_str("    ");
            text.push_str(&member);
            text.push('\n');
        }
        text.push('}');
        text
    }

    fn enum_constants(&mut self, members_follow: bool) -> String {
        let constants = self.rng.pick(&[
            "",
            "A, B, C",
            "A(1), B(2) { @Override public String toString() { return \"}\"; } }",
            "@Deprecated A { void main() { } }, B",
            "A, B,",
            "ONLY(\"{\", '}')",
        ]);
        if members_follow || self.rng.chance(50) { format!("    {constants};\n") } else { format!("    {constants}\n") }
    }

    fn members(&mut self, kind: Kind, name: &str, generic: bool, depth: usize) -> Vec<String> {
        let mut members = Vec::new();
        if kind == Kind::Annotation {
            for _ in 0..self.rng.below(4) {
                members.push(
                    (self.rng.pick(&[
                        "int value() default 1;",
                        "String[] names() default {\"a\", \"}\"};",
                        "Class<?> k() default Object.class;",
                        "int x();",
                        "String main() default \"void main() {}\";",
                        "int CONSTANT = 1;",
                    ]))
                    .to_owned(),
                );
            }
            if depth < 2 && self.rng.chance(20) {
                members.push(self.nested_type(depth));
            }
            return members;
        }
        // Would-be mains: at most one per group.
        let mut groups = [false; 3];
        for _ in 0..self.rng.pick(&[0, 1, 1, 1, 2, 2, 3]) {
            let (template, group, valid) = self.rng.pick(MAINS);
            if valid & kind.bit() == 0 || groups[group as usize] || (generic && template.contains("{S}")) {
                continue;
            }
            groups[group as usize] = true;
            let body = self.rng.pick(BODIES);
            members.push(template.replace("{B}", body).replace("{S}", name));
        }
        for _ in 0..self.rng.below(5) {
            let k = self.next_name;
            self.next_name += 1;
            let field = self.rng.pick(FIELDS).replace("{K}", &k.to_string());
            let field = match kind {
                Kind::Record => format!("static {field}"), // records have no instance fields
                _ => field,
            };
            members.push(field);
        }
        for _ in 0..self.rng.below(3) {
            let k = self.next_name;
            self.next_name += 1;
            let body = self.rng.pick(BODIES);
            let method = match self.rng.below(5) {
                0 => format!("void f{k}(int a, String... b) throws java.io.IOException, RuntimeException {body}"),
                1 => format!("<T extends Comparable<T>> T max{k}(T a, T b) {{ return a.compareTo(b) > 0 ? a : b; }}"),
                2 => format!("static int[] arr{k}()[] {{ return null; }}"),
                3 => format!("@SuppressWarnings({{\"a\", \"b\"}}) String s{k}(final int x) {{ return \"\\\"}}\"; }}"),
                _ => format!("void g{k}(java.util.Map<String, java.util.List<int[]>> m) {body}"),
            };
            let method = match kind {
                Kind::Interface if method.starts_with("static") => method,
                Kind::Interface => format!("default {method}"),
                _ => method,
            };
            members.push(method);
        }
        match kind {
            Kind::Class | Kind::AbstractClass => {
                let constructors = self.rng.pick(&[
                    "",
                    "",
                    "{S}() { }",
                    "private {S}() { }",
                    "{S}(int x) { }",
                    "protected {S}() { super(); }",
                    "{S}(int x) { }\n    {S}() { this(1); }",
                    "@Deprecated public {S}() { }",
                    "<T> {S}(T t) { }",
                    "{S}(String... a) { }",
                    "private {S}(int x) { }\n    {S}(String s) { this(1); }",
                ]);
                members.push(constructors.replace("{S}", name));
                if self.rng.chance(30) {
                    members.push((self.rng.pick(&["static { int x = 1; }", "{ String s = \"{\"; }"])).to_owned());
                }
            }
            Kind::Record => {
                let constructors = self.rng.pick(&[
                    "",
                    "",
                    "{S} { }",
                    "public {S} { if (hashCode() < 0) throw new IllegalStateException(\"}\"); }",
                    "{S}() { this(null); }",
                    "private {S}(int a, int b) { this(a); }",
                ]);
                members.push(constructors.replace("{S}", name));
                if self.rng.chance(20) {
                    members.push("static { int x = 1; }".to_owned());
                }
            }
            Kind::Enum => {
                members.push((self.rng.pick(&["", "{S}() { }", "private {S}(int x) { }"])).replace("{S}", name));
            }
            Kind::Interface | Kind::Annotation => {}
        }
        if depth < 2 && self.rng.chance(30) {
            members.push(self.nested_type(depth));
        }
        if self.rng.chance(15) {
            members.push(
                (self.rng.pick(&[
                    "// public static void main(String[] args) {}",
                    "/* void main() {} */",
                    "/** @see #main(String[]) */",
                ]))
                .to_owned(),
            );
        }
        members.retain(|m| !m.is_empty());
        members
    }

    fn nested_type(&mut self, depth: usize) -> String {
        let name = self.name();
        let kind = self.kind();
        self.type_declaration(kind, &name, false, depth + 1).replace('\n', "\n    ")
    }

    /// Replaces a few ASCII letters with unicode escapes (`\u0061`,
    /// `\uuu0061`), anywhere but inside an escape or right after a
    /// backslash, where it would change what the backslash means.
    fn escape_some(&mut self, text: String) -> String {
        if !self.rng.chance(20) {
            return text;
        }
        let mut chars: Vec<char> = text.chars().collect();
        for _ in 0..1 + self.rng.below(4) {
            let at = self.rng.below(chars.len());
            let after_backslash = chars[at.saturating_sub(10)..at].contains(&'\\');
            if !chars[at].is_ascii_alphabetic() || after_backslash {
                continue;
            }
            let us = "u".repeat(1 + self.rng.below(3));
            let escape = format!("\\{us}{:04x}", chars[at] as u32);
            chars.splice(at..=at, escape.chars());
        }
        chars.into_iter().collect()
    }

    /// A compact source file (JDK 25): top-level fields and methods, with or
    /// without a usable main, and classes that are members of the implicit
    /// class.
    fn compact_file(&mut self) -> (String, String) {
        let mut members = Vec::new();
        let main = self.rng.pick(&[
            "void main() {B}",
            "void main() {B}",
            "static void main() {B}",
            "public static void main(String[] args) {B}",
            "void main(String... args) {B}",
            "static void main(String args[]) throws IOException, InterruptedException {B}",
            "private void main() {B}",
            "int main() { return 0; }",
            "private static void main(String[] args) {B}",
            "void helper() {B}",
            "",
        ]);
        members.push(main.replace("{B}", self.rng.pick(BODIES)));
        let fields = self.rng.below(4);
        if main.is_empty() && fields == 0 {
            members.push("int count = 0;".to_owned()); // a compact file needs a field or method
        }
        for _ in 0..fields {
            let k = self.next_name;
            self.next_name += 1;
            members.push(self.rng.pick(FIELDS).replace("{K}", &k.to_string()));
        }
        if self.rng.chance(30) {
            members.push("int twice(int x) { return 2 * x; }".to_owned());
        }
        for _ in 0..self.rng.below(3) {
            let name = self.name();
            let kind = self.kind();
            members.push(self.type_declaration(kind, &name, false, 1));
        }
        self.rng.shuffle(&mut members);
        let mut text = String::from(self.rng.pick(PRE_COMMENTS));
        if self.rng.chance(40) {
            text.push_str("import java.io.IOException;\nimport java.util.*;\n");
        }
        for member in members.into_iter().filter(|m| !m.is_empty()) {
            text.push_str(&member);
            text.push('\n');
        }
        let text = self.escape_some(text);
        (format!("{:05}/C{}.java", self.index, self.index), text)
    }
}
