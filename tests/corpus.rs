//! Robustness on real-world sources.
//!
//! Runs `wixcheck order` (text and `--format json`) on every `.wxs` file under
//! `../shared/corpus` (148 files from 37 public projects, read in place), once more on
//! all `.wxs` files of each project together as one link unit, and on the whole corpus
//! together (text and JSON). Whatever the input, wixcheck must finish with exit code
//! 0, 1 or 2 — never a panic, a signal or a hang — and when it exits 0 or 1 its JSON
//! output must parse as a report. Without `../shared` the test prints SKIPPED and passes.
//!
//! The projects built from includes and defines are also checked the way their own builds
//! run WiX ([`BUILDS`]): with those settings, no include may be missing and no variable
//! undefined (no WXC003/WXC004), while without them some must be.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use common::{run_wixcheck, run_wixcheck_in};

/// Every `.wxs` file under `root`, sorted, grouped by project (first path component).
fn wxs_by_project(root: &Path) -> BTreeMap<String, Vec<PathBuf>> {
    let mut projects: BTreeMap<String, Vec<PathBuf>> = BTreeMap::new();
    for entry in walkdir::WalkDir::new(root).sort_by_file_name() {
        let entry = entry.expect("walk corpus");
        let path = entry.path();
        let is_wxs = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("wxs"));
        if !entry.file_type().is_file() || !is_wxs {
            continue;
        }
        let relative = path.strip_prefix(root).expect("under root");
        let project = relative
            .components()
            .next()
            .expect("non-empty")
            .as_os_str()
            .to_string_lossy()
            .into_owned();
        projects
            .entry(project)
            .or_default()
            .push(path.to_path_buf());
    }
    projects
}

/// Tallies of exit codes, and the problems found.
#[derive(Default)]
struct Tally {
    runs: usize,
    by_code: BTreeMap<i32, usize>,
    problems: Vec<String>,
}

impl Tally {
    /// Runs `wixcheck order [--format json] FILES…` and records the outcome.
    fn run(&mut self, json: bool, files: &[PathBuf]) {
        let mut args = vec!["order".to_string()];
        if json {
            args.extend(["--format".to_string(), "json".to_string()]);
        }
        args.extend(files.iter().map(|f| f.display().to_string()));
        let run = run_wixcheck(&args);
        self.runs += 1;
        if let Some(crash) = run.crash() {
            self.problems.push(crash);
            return;
        }
        let code = run.code.expect("not a crash");
        *self.by_code.entry(code).or_default() += 1;
        if !(0..=2).contains(&code) {
            self.problems.push(format!(
                "exit code {code} (expected 0, 1 or 2): {}",
                run.command
            ));
        } else if json && code != 2 {
            if let Err(e) = run.report() {
                self.problems.push(e);
            }
        }
    }
}

#[test]
fn corpus_never_crashes() {
    let Some(shared) = common::shared_dir("corpus") else {
        return;
    };
    let projects = wxs_by_project(&shared.join("corpus"));
    let files: usize = projects.values().map(Vec::len).sum();
    assert!(
        files > 50,
        "only {files} .wxs files found under ../shared/corpus"
    );

    let mut tally = Tally::default();
    for file in projects.values().flatten() {
        tally.run(false, std::slice::from_ref(file));
        tally.run(true, std::slice::from_ref(file));
    }
    for project_files in projects.values() {
        tally.run(true, project_files);
    }
    // Everything at once, one link unit of unrelated projects: still an answer, not a crash.
    let everything: Vec<PathBuf> = projects.values().flatten().cloned().collect();
    tally.run(false, &everything);
    tally.run(true, &everything);
    eprintln!(
        "corpus: {files} .wxs files in {} projects, {} runs, exit codes {:?}, {} problems",
        projects.len(),
        tally.runs,
        tally.by_code,
        tally.problems.len()
    );
    assert!(
        tally.problems.is_empty(),
        "corpus problems:\n  - {}",
        tally.problems.join("\n  - ")
    );
}

/// One WiX invocation of a corpus project, with the settings its build passes.
struct Build {
    /// The working directory (`$(sys.CURRENTDIR)`), under `../shared/corpus`.
    dir: &'static str,
    /// The sources compiled together, relative to `dir` (a directory means its `*.wxs`).
    sources: &'static [&'static str],
    /// `-d NAME=VALUE`, `-I DIR` and `--arch ARCH` as the build passes them.
    flags: &'static [&'static str],
    /// Environment variables the sources read with `$(env.X)`, as on the build machine.
    env: &'static [(&'static str, &'static str)],
}

/// The corpus projects that need the preprocessor, built as their build files build them.
/// Values the sources only copy into paths are placeholders of the right shape.
const BUILDS: &[Build] = &[
    // src/TortoiseGitSetup/WiXSetup.wixproj (Release|x64): DefineConstants
    // `DictionaryENGB=1;DictionaryENUS=1`, `IncludeCrashReportDll=1` (Release, not ARM64),
    // `BuildWindows11ContextmenuExtension=$(…)` which src/TortoiseGit.settings.props sets to 1;
    // WiX's MSBuild targets add `Platform`. Includes.wxi chooses everything else by Platform.
    Build {
        dir: "TortoiseGit__TortoiseGit/src/TortoiseGitSetup",
        sources: &["TortoiseGIT.wxs"],
        flags: &[
            "--arch x64",
            "-d Platform=x64",
            "-d Configuration=Release",
            "-d DictionaryENGB=1",
            "-d DictionaryENUS=1",
            "-d IncludeCrashReportDll=1",
            "-d BuildWindows11ContextmenuExtension=1",
        ],
        env: &[],
    },
    // mRemoteNGInstaller/Installer/Installer.wixproj (Release|x64): DefineConstants
    // `HarvestPath=$(SolutionDir)mRemoteNG\bin\x64\Release`; WiX's MSBuild targets add
    // `Configuration`, `Platform` and `SolutionDir`. mRemoteNG.wxs includes
    // `$(sys.CURRENTDIR)Includes\Config.wxi`: MSBuild runs WiX in the project directory.
    Build {
        dir: "mRemoteNG__mRemoteNG/mRemoteNGInstaller/Installer",
        sources: &["."],
        flags: &[
            "--arch x64",
            "-d Configuration=Release",
            "-d Platform=x64",
            "-d SolutionDir=C:\\src\\mRemoteNG\\",
            "-d HarvestPath=C:\\src\\mRemoteNG\\mRemoteNG\\bin\\x64\\Release",
        ],
        env: &[],
    },
    // installer/buildInstallers.ps1: `wix build -arch $CPUTYPE $libpqRelArgs -d VERSION -d SUBLOC
    // -d LIBPQBINDIR -d LIBPQMSVCDLL -d LIBPQMSVCSYS -d PODBCMSVCDLL -d PODBCMSVPDLL
    // -d PODBCMSVCSYS -d PODBCMSVPSYS -d NoPDB -d BINBASE psqlodbcm_cpu.wxs`, where
    // $libpqRelArgs is `-d LIBPQMEM0..9` (empty when libpq needs fewer DLLs); the merge module
    // also reads `$(env.PROCESSOR_ARCHITECTURE)` and `$(env.SystemRoot)`.
    Build {
        dir: "postgresql-interfaces__psqlodbc/installer",
        sources: &["psqlodbcm_cpu.wxs"],
        flags: &[
            "--arch x64",
            "-d VERSION=16.00.0000",
            "-d SUBLOC=1600",
            "-d LIBPQBINDIR=C:\\pgsql\\bin",
            "-d LIBPQMSVCDLL=",
            "-d LIBPQMSVCSYS=",
            "-d PODBCMSVCDLL=",
            "-d PODBCMSVPDLL=",
            "-d PODBCMSVCSYS=",
            "-d PODBCMSVPSYS=",
            "-d NoPDB=False",
            "-d BINBASE=..",
            "-d LIBPQMEM0=libssl-3-x64.dll",
            "-d LIBPQMEM1=libcrypto-3-x64.dll",
            "-d LIBPQMEM2=",
            "-d LIBPQMEM3=",
            "-d LIBPQMEM4=",
            "-d LIBPQMEM5=",
            "-d LIBPQMEM6=",
            "-d LIBPQMEM7=",
            "-d LIBPQMEM8=",
            "-d LIBPQMEM9=",
        ],
        env: &[
            ("PROCESSOR_ARCHITECTURE", "AMD64"),
            ("SystemRoot", "C:\\Windows"),
        ],
    },
    // installer/buildInstallers.ps1: `wix build -arch $CPUTYPE -ext WixToolset.UI.wixext
    // -d VERSION -d SUBLOC -d INSTBASE psqlodbc_cpu.wxs`.
    Build {
        dir: "postgresql-interfaces__psqlodbc/installer",
        sources: &["psqlodbc_cpu.wxs"],
        flags: &[
            "--arch x64",
            "-d VERSION=16.00.0000",
            "-d SUBLOC=1600",
            "-d INSTBASE=x64",
        ],
        env: &[],
    },
    // installer/psqlodbc-setup/buildBootstrapper.ps1: `candle -dVERSION -dwithRedist -dINSTBASE
    // -dwithUI -dConfiguration … -dPlatform=x86 -arch x86` (plus project paths it never reads).
    Build {
        dir: "postgresql-interfaces__psqlodbc/installer/psqlodbc-setup",
        sources: &["Bundle.wxs"],
        flags: &[
            "--arch x86",
            "-d VERSION=16.00.0000",
            "-d withRedist=no",
            "-d INSTBASE=..",
            "-d withUI=yes",
            "-d Configuration=Release",
            "-d Platform=x86",
        ],
        env: &[],
    },
    // src/Setup/Release.cmd: `candle -dConfiguration=Release -dPlatform=%MSI_PLAT% … -arch
    // %MSI_PLAT% Product.wxs` (plus project and target paths the sources never read). Platform
    // picks `ConEmu_Guids_$(var.Platform).wxi`; only the x64 one is in the corpus.
    // ConEmu_DefaultPathOrder.wxi is included in both InstallUISequence and
    // InstallExecuteSequence.
    Build {
        dir: "Maximus5__ConEmu/src/Setup",
        sources: &["Product.wxs"],
        flags: &["--arch x64", "-d Configuration=Release", "-d Platform=x64"],
        env: &[],
    },
];

/// The preprocessor's own findings (WXC003/WXC004) of `wixcheck order` on `build`, with or
/// without its flags.
fn preprocessor_findings(build: &Build, corpus: &Path, with_flags: bool) -> Vec<String> {
    let mut args: Vec<&str> = vec!["order", "--format", "json"];
    if with_flags {
        for flag in build.flags {
            let (name, value) = flag.split_once(' ').unwrap();
            args.extend([name, value]);
        }
    }
    args.extend(build.sources);
    let env = if with_flags { build.env } else { &[] };
    let run = run_wixcheck_in(&corpus.join(build.dir), &args, env);
    assert!(run.crash().is_none(), "{:?}", run.crash());
    assert!(
        matches!(run.code, Some(0 | 1)),
        "{} in {}: exit {:?}\n{}",
        run.command,
        build.dir,
        run.code,
        run.stderr
    );
    let report = run.report().unwrap();
    report
        .diagnostics
        .iter()
        .filter(|d| d.code == "WXC003" || d.code == "WXC004")
        .map(|d| format!("{}: {}", d.code, d.message))
        .collect()
}

#[test]
fn projects_built_with_their_defines_have_no_missing_variable_or_include() {
    let Some(shared) = common::shared_dir("corpus builds") else {
        return;
    };
    let corpus = shared.join("corpus");
    let mut problems = Vec::new();
    for build in BUILDS {
        let sources = build.sources.join(" ");
        let with = preprocessor_findings(build, &corpus, true);
        if !with.is_empty() {
            problems.push(format!(
                "{}/{sources}: {} WXC003/WXC004 with the build's settings, first: {}",
                build.dir,
                with.len(),
                with[0]
            ));
        }
        // The settings are what makes the difference.
        if preprocessor_findings(build, &corpus, false).is_empty() {
            problems.push(format!(
                "{}/{sources}: no WXC003/WXC004 even without the build's settings",
                build.dir
            ));
        }
    }
    eprintln!(
        "corpus builds: {} invocations, {} problems",
        BUILDS.len(),
        problems.len()
    );
    assert!(
        problems.is_empty(),
        "corpus builds:\n  - {}",
        problems.join("\n  - ")
    );
}
