//! The `userpool-store` crate's integration tests: the conformance suite on `MemoryStore`.

use std::sync::Arc;

use userpool_store::MemoryStore;

userpool_store::conformance_tests!(async {
    Arc::new(MemoryStore::new()) as Arc<dyn userpool_store::Store>
});
