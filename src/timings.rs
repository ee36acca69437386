//! Wall time per pipeline stage, for `--timings`.
//!
//! A [`Timings`] is a stopwatch with laps: each [`Timings::lap`] charges the time since the
//! previous lap to a named stage. Stages are reported in the order they were first charged,
//! one `timing <stage> <milliseconds>` line each.

use std::fmt::Write;
use std::time::{Duration, Instant};

/// The time each stage of one run took.
#[derive(Clone, Debug)]
pub struct Timings {
    stages: Vec<(&'static str, Duration)>,
    last: Instant,
}

impl Default for Timings {
    fn default() -> Self {
        Timings::start()
    }
}

impl Timings {
    /// Starts the clock; the first lap is charged from now.
    pub fn start() -> Self {
        Timings {
            stages: Vec::new(),
            last: Instant::now(),
        }
    }

    /// Charges the time since the previous lap (or the start) to `stage`.
    pub fn lap(&mut self, stage: &'static str) {
        let now = Instant::now();
        let elapsed = now - self.last;
        self.last = now;
        self.add(stage, elapsed);
    }

    /// Charges `elapsed`, measured elsewhere, to `stage`.
    pub fn add(&mut self, stage: &'static str, elapsed: Duration) {
        match self.stages.iter_mut().find(|(name, _)| *name == stage) {
            Some((_, total)) => *total += elapsed,
            None => self.stages.push((stage, elapsed)),
        }
    }

    /// The stages in the order they were first charged.
    pub fn stages(&self) -> &[(&'static str, Duration)] {
        &self.stages
    }

    /// One `timing <stage> <ms>` line per stage, milliseconds with one decimal.
    pub fn report(&self) -> String {
        let mut out = String::new();
        for (stage, elapsed) in &self.stages {
            let millis = elapsed.as_secs_f64() * 1000.0;
            let _ = writeln!(out, "timing {stage} {millis:.1}");
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::Timings;
    use std::time::Duration;

    #[test]
    fn stages_keep_their_first_order_and_add_up() {
        let mut timings = Timings::start();
        timings.lap("load");
        timings.add("model", Duration::from_micros(2500));
        timings.add("load", Duration::from_millis(3));
        timings.add("model", Duration::from_micros(100));
        let names: Vec<&str> = timings.stages().iter().map(|(name, _)| *name).collect();
        assert_eq!(names, ["load", "model"]);
        assert!(timings.stages()[0].1 >= Duration::from_millis(3));
        let report = timings.report();
        let lines: Vec<&str> = report.lines().collect();
        assert_eq!(lines.len(), 2);
        assert!(lines[0].starts_with("timing load 3."), "{report}");
        assert_eq!(lines[1], "timing model 2.6");
    }
}
