//! Command-line arguments, as clap sees them.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// Checks WiX installer sources: numbers the MSI sequence tables exactly as WiX does and
/// reports scheduling mistakes before the build.
#[derive(Parser, Debug)]
#[command(name = "wixcheck", version, args_conflicts_with_subcommands = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// With no command, `check` runs.
    #[command(flatten)]
    pub check: CheckArgs,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Check the files (the default command).
    Check(CheckArgs),
    /// Print the effective sequence tables, numbered as WiX numbers them.
    Order(OrderArgs),
    /// List every rule.
    Rules,
    /// Show one rule's documentation.
    Rule {
        /// A rule code (WXC301) or name (restart-manager-key-too-late).
        code: String,
    },
}

/// What every command that reads sources accepts.
#[derive(Args, Debug, Clone)]
pub struct SourceArgs {
    /// `.wxs` files and directories (searched for `*.wxs`); together they are one link unit.
    pub paths: Vec<PathBuf>,
    /// Define a preprocessor variable, like `wix build -d NAME=VALUE`.
    #[arg(short = 'd', long = "define", value_name = "NAME=VALUE")]
    pub defines: Vec<String>,
    /// Add a directory to search for `<?include?>` files.
    #[arg(short = 'I', long = "include", value_name = "DIR")]
    pub include_dirs: Vec<PathBuf>,
    /// WiX semantics for v4-namespace sources (default: the newest).
    #[arg(long = "wix", value_name = "3|4|5|6", value_parser = clap::value_parser!(u8).range(3..=6))]
    pub wix: Option<u8>,
    /// Build architecture (sys.BUILDARCH; 64-bit script custom actions).
    #[arg(long, value_enum, default_value_t = Arch::X86)]
    pub arch: Arch,
    /// Read this config file instead of the closest wixcheck.toml above the current directory.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// The path to report for the source read from standard input (`-` in PATHS).
    #[arg(long, value_name = "NAME")]
    pub stdin_filename: Option<PathBuf>,
    /// Threads for reading files, linking them and running rules (default: one per core); the
    /// output does not depend on it.
    #[arg(short = 'j', long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub jobs: Option<u16>,
    /// Colour in human output: auto (a terminal, and NO_COLOR unset), always or never.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,
    /// After the output, print the time each stage took to stderr: `timing <stage> <ms>` for
    /// load, model, sequence, rules, finish and render.
    #[arg(long)]
    pub timings: bool,
}

#[derive(Args, Debug, Clone)]
pub struct CheckArgs {
    #[command(flatten)]
    pub sources: SourceArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = CheckFormat::Human)]
    pub format: CheckFormat,
    /// The least severe finding that makes the exit status 1.
    #[arg(long, value_enum, default_value_t = FailOn::Error, value_name = "LEVEL")]
    pub fail_on: FailOn,
    /// Print the findings only, no summary.
    #[arg(short, long)]
    pub quiet: bool,
}

#[derive(Args, Debug, Clone)]
pub struct OrderArgs {
    #[command(flatten)]
    pub sources: SourceArgs,
    /// Only this table (MSI name, e.g. InstallExecuteSequence).
    #[arg(long)]
    pub table: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = OrderFormat::Text)]
    pub format: OrderFormat,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum CheckFormat {
    /// Source snippets with every label (miette).
    Human,
    /// `path:line:col: severity[CODE]: message`.
    Short,
    /// `path(line,col,endLine,endCol): error CODE: message`, for MSBuild's Exec.
    Msbuild,
    /// GitHub Actions workflow commands (annotations).
    Github,
    /// The JSON report (`version: 1`).
    Json,
    /// SARIF 2.1.0, for code scanning.
    Sarif,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum FailOn {
    Error,
    Warning,
    Never,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum OrderFormat {
    Text,
    Json,
    Dot,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Arch {
    X86,
    X64,
    Arm64,
}

impl Arch {
    pub fn as_str(self) -> &'static str {
        match self {
            Arch::X86 => "x86",
            Arch::X64 => "x64",
            Arch::Arm64 => "arm64",
        }
    }
}
