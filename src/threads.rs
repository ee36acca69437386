//! Splitting one piece of work over a fixed number of threads: [`on_threads`] runs a task
//! per index on scoped threads, this one among them, and hands back the results in index
//! order, so what a caller builds from them does not depend on how many threads ran.

/// Runs `task(0)` … `task(count - 1)` on `count` threads (this one among them) and returns
/// the results in that order. A panic in any task is resumed on this thread.
pub(crate) fn on_threads<T: Send>(count: usize, task: impl Fn(usize) -> T + Sync) -> Vec<T> {
    std::thread::scope(|scope| {
        let task = &task;
        let helpers: Vec<_> = (1..count)
            .map(|index| scope.spawn(move || task(index)))
            .collect();
        let mut results = Vec::with_capacity(count);
        results.push(task(0));
        for helper in helpers {
            match helper.join() {
                Ok(result) => results.push(result),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        results
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_in_index_order_on_any_number_of_threads() {
        for count in 1..=4 {
            let squares = on_threads(count, |index| index * index);
            assert_eq!(squares, (0..count).map(|n| n * n).collect::<Vec<_>>());
        }
    }
}
