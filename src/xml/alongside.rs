//! Reading a file on a second thread: [`stream_alongside`] runs the parser on a scoped thread
//! and hands its nodes over in batches to the handler, which runs on the calling thread, so
//! that parsing and whatever the handler does (preprocessing, reading the model) overlap on
//! two cores. The handler's thread screens the text of each batch (`screen.rs`) before it
//! replays it, which leaves the parser, the busier of the two, only the parsing. Checking the
//! tags' attributes (`check.rs`) goes to whichever thread is ahead:
//! the parser checks them while the handler is behind, and leaves them to the handler's
//! thread otherwise; which of the two parts of a file is slower depends on what is in it, so
//! no fixed share keeps both threads busy. Batches are small and many may wait, so that the
//! parser's choice follows the handler closely and a hiccup of one thread does not leave
//! the other idle. The handler sees the calls [`super::stream`] would make, in the same
//! order, and then the same result; only on an error may it have seen one text run more
//! (what it saw is then thrown away).

use super::scan::RawAttribute;
use super::screen::Screen;
use super::tree::{node_ref, offset, Node, NodeId, NodeKind};
use super::{check, Builder, Handler, Output, Streamed, XmlError};
use crate::source::{FileId, Span};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Arc};

/// Events per batch: enough to make hand-overs cheap, few enough that the handler starts
/// early and that the parser learns soon how far behind it is.
const BATCH_EVENTS: usize = 512;

/// Batches the parser may run ahead by: bounds the memory the hand-over takes.
const IN_FLIGHT: usize = 32;

/// Batches waiting from which the handler is behind. A backlog of a few thousand events
/// rides out the pauses a busy machine gives either thread. On the 5 and 10 MiB bench
/// packages, where the handler's thread waited 5-20% of the run for batches with 4,096-event
/// batches and a backlog of two, it no longer waits at all.
const BEHIND: usize = 8;

/// What the parser found, as [`Handler`] calls to make. Small, since the hand-over's cost
/// is mostly memory moving between the cores: nodes are numbered in order, so the n-th
/// carries no id.
enum Event {
    /// A node; an element's attributes are `attributes` in the batch's attribute list, or
    /// `None` when they are still to be read and checked.
    Node {
        node: Node,
        attributes: Option<(u32, u32)>,
    },
    /// The innermost open element ends; its whole span.
    End(Span),
}

#[derive(Default)]
struct Batch {
    events: Vec<Event>,
    attributes: Vec<RawAttribute>,
    /// Namespace URIs interned since the previous batch, in order.
    uris: Vec<Box<str>>,
    /// Whether the file has a DOCTYPE (before its root, so before any of these events).
    has_doctype: bool,
    /// Where the text of the last event ends: what must be screened before it is replayed.
    through: usize,
}

impl Batch {
    fn clear(&mut self) {
        self.events.clear();
        self.attributes.clear();
        self.uris.clear();
    }
}

/// The parser's side: fills batches and sends them; takes emptied ones back to reuse.
pub(super) struct Producer {
    batch: Batch,
    /// How many of the parser's URIs went out in earlier batches.
    uris_sent: usize,
    full: mpsc::SyncSender<Batch>,
    emptied: mpsc::Receiver<Batch>,
    /// Batches sent and not yet handled.
    unhandled: Arc<AtomicUsize>,
    /// Batches sent so far.
    sent: usize,
    /// The length of the text.
    len: usize,
    /// Whether the parser checks the attributes of the tags in the batch being filled.
    checks_attributes: bool,
    /// See [`Producer::unheard`].
    unheard: bool,
}

impl Producer {
    /// Whether the parser checks the next tag's attributes: while the handler is behind, the
    /// parser takes the work.
    pub(super) fn checks_attributes(&self) -> bool {
        self.checks_attributes
    }

    /// A node made by the parser; `scanned` are the attributes of an element, if the parser
    /// checked them, `uris` every namespace URI interned so far.
    pub(super) fn node(
        &mut self,
        node: Node,
        scanned: Option<&[RawAttribute]>,
        uris: &[Box<str>],
        has_doctype: bool,
    ) {
        self.take_uris(uris);
        self.batch.has_doctype = has_doctype;
        let first = offset(self.batch.attributes.len());
        let attributes = match (&node.kind, scanned) {
            (NodeKind::Element { .. }, None) => None,
            (NodeKind::Element { .. }, Some(scanned)) => {
                self.batch.attributes.extend_from_slice(scanned);
                Some((first, offset(self.batch.attributes.len())))
            }
            _ => Some((first, first)),
        };
        self.batch.through = node.end as usize;
        let event = Event::Node { node, attributes };
        self.push(event);
    }

    pub(super) fn end_element(&mut self, span: Span) {
        self.batch.through = span.end as usize;
        self.push(Event::End(span));
    }

    fn take_uris(&mut self, uris: &[Box<str>]) {
        if let Some(new) = uris.get(self.uris_sent..).filter(|new| !new.is_empty()) {
            self.batch.uris.extend(new.iter().cloned());
            self.uris_sent = uris.len();
        }
    }

    fn push(&mut self, event: Event) {
        self.batch.events.push(event);
        if self.batch.events.len() >= BATCH_EVENTS {
            self.send();
        }
    }

    /// Sends the batch being filled and starts another (a returned one when there is one).
    /// A closed channel means the handler's side stopped: what is sent then no longer
    /// matters.
    fn send(&mut self) {
        let next = self.emptied.try_recv().unwrap_or_default();
        let through = self.batch.through;
        let batch = std::mem::replace(&mut self.batch, next);
        let unhandled = self.unhandled.fetch_add(1, Ordering::Relaxed) + 1;
        self.sent += 1;
        self.checks_attributes = handler_is_behind(unhandled, self.sent, through, self.len);
        self.unheard |= self.full.send(batch).is_err();
    }

    /// Whether the handler's side stopped taking batches (at an error, or at text that needs
    /// a tree): parsing on is then wasted.
    pub(super) fn unheard(&self) -> bool {
        self.unheard
    }
}

/// Whether the handler is behind, with `unhandled` of the `sent` batches waiting, the parser
/// at `through` and the text `len` bytes long: it has many batches waiting, or the text
/// left to parse is less than twice the text waiting, when it would likely finish last
/// (batches are counted at their average size so far). Near the end of a
/// file the parser then takes all the checks, and the handler's last batches (the model's
/// heaviest, as the sequence tables come last) are done sooner: on the 5 MiB bench package
/// the handler's thread went on for 2.3 ms after the parser finished, and now for 1.5 ms.
fn handler_is_behind(unhandled: usize, sent: usize, through: usize, len: usize) -> bool {
    let waiting_text = unhandled * (through / sent.max(1));
    unhandled >= BEHIND || len.saturating_sub(through) < 2 * waiting_text
}

/// Reads `text` as [`super::stream`] does, with the parser on a second thread. After an
/// error found on this thread, or text that needs a tree, the parser stops at its next batch.
pub(super) fn stream_alongside(
    file: FileId,
    text: &str,
    handler: &mut dyn Handler,
) -> Result<Streamed, XmlError> {
    let (full, arrived) = mpsc::sync_channel(IN_FLIGHT);
    let (give_back, emptied) = mpsc::channel();
    let unhandled = Arc::new(AtomicUsize::new(0));
    std::thread::scope(|scope| {
        let parser_unhandled = Arc::clone(&unhandled);
        let parser = scope.spawn(move || {
            let mut producer = Producer {
                batch: Batch::default(),
                uris_sent: 0,
                full,
                emptied,
                unhandled: parser_unhandled,
                sent: 0,
                len: text.len(),
                checks_attributes: false,
                unheard: false,
            };
            let parsed = Builder::new(file, text, Output::Alongside(&mut producer)).run();
            let parsed = parsed.map(|parts| parts.streamed);
            producer.send();
            parsed
        });
        let mut replay = Replay {
            file,
            text,
            uris: Vec::new(),
            checked: Vec::new(),
            next: NodeId(0),
        };
        let mut screen = Screen::new(text);
        let replayed = arrived.into_iter().try_for_each(|mut batch| {
            if !screen.clear_through(text, batch.through) {
                return Err(None);
            }
            replay.uris.append(&mut batch.uris);
            replay.batch(&batch, handler).map_err(Some)?;
            unhandled.fetch_sub(1, Ordering::Relaxed);
            batch.clear();
            let _ = give_back.send(batch);
            Ok(())
        });
        let parsed = parser
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        match replayed {
            // In an element the parser had passed: it comes first.
            Err(Some(err)) => Err(err),
            Err(None) => Ok(Streamed::NeedsTree),
            // The text after the last event too.
            Ok(()) if !screen.clear_through(text, text.len()) => Ok(Streamed::NeedsTree),
            Ok(()) => parsed,
        }
    })
}

/// The handler's side: what it needs to turn events back into nodes.
struct Replay<'t> {
    file: FileId,
    text: &'t str,
    /// Every namespace URI so far.
    uris: Vec<Box<str>>,
    /// The attributes of the element being handed over, when checked on this side.
    checked: Vec<RawAttribute>,
    /// The next node's id.
    next: NodeId,
}

impl Replay<'_> {
    /// Makes a batch's handler calls, checking the attributes the parser left to this side.
    fn batch(&mut self, batch: &Batch, handler: &mut dyn Handler) -> Result<(), XmlError> {
        for event in &batch.events {
            let (node, attributes) = match event {
                Event::End(span) => {
                    handler.end_element(*span);
                    continue;
                }
                Event::Node { node, attributes } => (node, *attributes),
            };
            let id = self.next;
            self.next = NodeId(id.0 + 1);
            let scanned = match (attributes, &node.kind) {
                (Some((first, end)), _) => batch.attributes.get(first as usize..end as usize),
                (None, NodeKind::Element { tag_end, .. }) => {
                    let place = check::Place {
                        file: self.file,
                        text: self.text,
                        has_doctype: batch.has_doctype,
                    };
                    let (start, end) = (node.start as usize, *tag_end as usize);
                    check::attributes(place, start, end, &mut self.checked)?;
                    Some(self.checked.as_slice())
                }
                (None, _) => None,
            };
            handler.node(node_ref(
                self.text, self.file, &self.uris, id, node, scanned,
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_handler_is_behind_with_many_batches_waiting_or_near_the_end() {
        // 100 batches of 1,000 bytes sent, of a text of 1,000,000 bytes.
        let (sent, through, len) = (100, 100_000, 1_000_000);
        assert!(!handler_is_behind(1, sent, through, len));
        assert!(!handler_is_behind(BEHIND - 1, sent, through, len));
        assert!(handler_is_behind(BEHIND, sent, through, len));
        // Three batches (3,000 bytes) waiting: behind once fewer than 6,000 bytes are left.
        assert!(!handler_is_behind(3, 990, 990_000, len));
        assert!(handler_is_behind(3, 995, 995_000, len));
        assert!(handler_is_behind(1, 1000, len, len));
    }
}
