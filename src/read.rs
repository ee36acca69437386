//! Reading a file's bytes. A large file is read in two halves at once when a second thread
//! may be used: on the 50 MiB bench package, reading (copying from the page cache into
//! fresh memory, and the page faults that memory takes) was about a tenth of the run and
//! came before any parsing, with the other core idle.

use std::io;
use std::path::Path;

/// Files from this size up are read in two halves at once. Reading a 5 MiB file took a
/// median of 3.3 ms in one piece and 2.3 ms in halves, a 2 MiB file 1.4 and 1.1 ms (41
/// alternating rounds each); below that, starting the thread costs about what it saves.
const IN_HALVES_FROM: u64 = 2 << 20;

/// The bytes of the file at `path`, read on two threads if `threads` allows and the file
/// is large; a file that changes size while it is read is read again in one piece.
pub fn read(path: &Path, threads: usize) -> io::Result<Vec<u8>> {
    #[cfg(unix)]
    if threads > 1 {
        if let Some(bytes) = in_halves(path)? {
            return Ok(bytes);
        }
    }
    #[cfg(not(unix))]
    let _ = threads;
    std::fs::read(path)
}

/// The file read in two halves at once, or `None` if it is small or its size changed.
#[cfg(unix)]
fn in_halves(path: &Path) -> io::Result<Option<Vec<u8>>> {
    use std::os::unix::fs::FileExt;
    let file = std::fs::File::open(path)?;
    let len = file.metadata()?.len();
    let Ok(size) = usize::try_from(len) else {
        return Ok(None);
    };
    if len < IN_HALVES_FROM {
        return Ok(None);
    }
    let mut bytes = vec![0; size];
    let (first, second) = bytes.split_at_mut(size / 2);
    let at = first.len() as u64;
    let (read_first, read_second) = std::thread::scope(|scope| {
        let second = scope.spawn(|| file.read_exact_at(second, at));
        let first = file.read_exact_at(first, 0);
        let second = second
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (first, second)
    });
    // Shorter than it was (an error), or longer (a byte past the end): read it again whole.
    let grew = file.read_at(&mut [0], len)? > 0;
    match (read_first, read_second) {
        (Ok(()), Ok(())) if !grew => Ok(Some(bytes)),
        (Err(err), _) | (_, Err(err)) if err.kind() != io::ErrorKind::UnexpectedEof => Err(err),
        _ => Ok(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_large_file_read_in_halves_has_the_same_bytes() {
        let path = std::env::temp_dir().join(format!("wixcheck-read-{}.bin", std::process::id()));
        // Not a multiple of two, and different in every block, so a misplaced half shows.
        let bytes: Vec<u8> = (0..IN_HALVES_FROM as usize + 4097)
            .map(|n| (n % 251) as u8)
            .collect();
        std::fs::write(&path, &bytes).unwrap();
        #[cfg(unix)]
        assert!(in_halves(&path).unwrap().is_some(), "read in halves");
        let read_back = [read(&path, 1).unwrap(), read(&path, 2).unwrap()];
        std::fs::remove_file(&path).unwrap();
        assert!(read_back.iter().all(|read| *read == bytes));
        assert!(read(&path, 2).is_err(), "the file is gone");
    }
}
