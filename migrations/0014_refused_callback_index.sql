-- Refused payment callbacks are kept only up to a count; the pruning query walks them newest first.
create index payment_callbacks_refused on payment_callbacks (id) where not signature_ok;
