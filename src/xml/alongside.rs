//! Reading a file on a second thread: [`stream_alongside`] runs the parser on a scoped thread
//! and hands its nodes over in batches to the handler, which runs on the calling thread, so
//! that parsing and whatever the handler does (preprocessing, reading the model) overlap on
//! two cores. The handler sees exactly the calls [`super::stream`] would make, in the same
//! order, and then the same result.

use super::scan::RawAttribute;
use super::tree::{node_ref, Node, NodeId, NodeKind};
use super::{Builder, Handler, Output, XmlError};
use crate::source::{FileId, Span};
use std::sync::mpsc;

/// Events per batch: enough to make hand-overs rare, few enough that the handler starts early.
const BATCH_EVENTS: usize = 4096;

/// Batches the parser may run ahead by: bounds the memory the hand-over takes.
const IN_FLIGHT: usize = 4;

/// What the parser found, as [`Handler`] calls to make.
enum Event {
    /// A node; an element's attributes are `attributes` in the batch's attribute list.
    Node {
        id: NodeId,
        node: Node,
        attributes: (usize, usize),
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
}

impl Producer {
    /// A node made by the parser; `scanned` are the attributes of the last start tag read,
    /// `uris` every namespace URI interned so far.
    pub(super) fn node(
        &mut self,
        id: NodeId,
        node: Node,
        scanned: &[RawAttribute],
        uris: &[Box<str>],
    ) {
        self.take_uris(uris);
        let first = self.batch.attributes.len();
        if matches!(node.kind, NodeKind::Element { .. }) {
            self.batch.attributes.extend_from_slice(scanned);
        }
        let attributes = (first, self.batch.attributes.len());
        let event = Event::Node {
            id,
            node,
            attributes,
        };
        self.push(event);
    }

    pub(super) fn end_element(&mut self, span: Span) {
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
    /// A closed channel means the handler's side is gone (it panicked): what is sent then
    /// no longer matters.
    fn send(&mut self) {
        let next = self.emptied.try_recv().unwrap_or_default();
        let batch = std::mem::replace(&mut self.batch, next);
        let _ = self.full.send(batch);
    }
}

/// Reads `text` as [`super::stream`] does, with the parser on a second thread.
pub(super) fn stream_alongside(
    file: FileId,
    text: &str,
    handler: &mut dyn Handler,
) -> Result<(), XmlError> {
    let (full, arrived) = mpsc::sync_channel(IN_FLIGHT);
    let (give_back, emptied) = mpsc::channel();
    std::thread::scope(|scope| {
        let parser = scope.spawn(move || {
            let mut producer = Producer {
                batch: Batch::default(),
                uris_sent: 0,
                full,
                emptied,
            };
            let parsed = Builder::new(file, text, Output::Alongside(&mut producer)).run();
            let parsed = parsed.map(drop);
            producer.send();
            parsed
        });
        let mut uris = Vec::new();
        for mut batch in arrived {
            uris.append(&mut batch.uris);
            replay(&batch, file, text, &uris, handler);
            batch.clear();
            let _ = give_back.send(batch);
        }
        parser
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    })
}

/// Makes a batch's handler calls.
fn replay(batch: &Batch, file: FileId, text: &str, uris: &[Box<str>], handler: &mut dyn Handler) {
    for event in &batch.events {
        match event {
            Event::Node {
                id,
                node,
                attributes: (first, end),
            } => {
                let scanned = batch.attributes.get(*first..*end);
                handler.node(node_ref(text, file, uris, *id, node, scanned));
            }
            Event::End(span) => handler.end_element(*span),
        }
    }
}
