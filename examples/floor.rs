//! The performance floor: a bare quick-xml pass over files that touches every event and every
//! attribute, doing nothing else. wixcheck's benchmarks (`bench/run.sh`) compare against it;
//! the floor of a project is one pass over each of its files, in turn.
//!
//! `cargo run --release --example floor -- FILE.wxs [FILE.wxs…]`

use quick_xml::events::Event;
use quick_xml::Reader;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let paths: Vec<String> = std::env::args().skip(1).collect();
    if paths.is_empty() {
        return Err("usage: floor FILE [FILE…]".into());
    }
    let (mut events, mut attributes) = (0usize, 0usize);
    for path in &paths {
        let (file_events, file_attributes) = pass(&std::fs::read_to_string(path)?)?;
        events += file_events;
        attributes += file_attributes;
    }
    let files = paths.len();
    println!("{files} file(s), {events} events, {attributes} attribute bytes");
    Ok(())
}

/// Reads every event of `text` and every attribute of its tags; returns the event count and
/// the total length of the attribute values.
fn pass(text: &str) -> Result<(usize, usize), quick_xml::Error> {
    let mut reader = Reader::from_str(text);
    let (mut events, mut attributes) = (0usize, 0usize);
    loop {
        match reader.read_event()? {
            Event::Start(tag) | Event::Empty(tag) => {
                for attribute in tag.attributes() {
                    attributes += attribute?.value.len();
                }
            }
            Event::Eof => break,
            _ => {}
        }
        events += 1;
    }
    Ok((events, attributes))
}
