import type { HandlerSpec } from '../queue/worker-host.js';
import type { ComplaintReplySender } from './complaint-reply.service.js';

/** `complaint-reply`: send the replies whose try is due; failures are recorded per reply, not thrown. */
export function complaintReplyHandler(sender: ComplaintReplySender): HandlerSpec<'complaint-reply'> {
  return { concurrency: 1, handle: async () => void (await sender.sendDue()) };
}
