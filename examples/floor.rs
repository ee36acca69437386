//! The performance floor: a bare quick-xml pass over a file that touches every event and
//! every attribute, doing nothing else. wixcheck's benchmarks compare against it.
//!
//! `cargo run --release --example floor -- FILE.wxs`

use quick_xml::events::Event;
use quick_xml::Reader;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args().nth(1).ok_or("usage: floor FILE")?;
    let text = std::fs::read_to_string(path)?;
    let mut reader = Reader::from_str(&text);
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
    println!("{events} events, {attributes} attribute bytes");
    Ok(())
}
