// The inspect session of each open graph editor.
import type { GraphPanel } from '../graphPanel';
import { InspectSession } from './inspectSession';

const sessions = new WeakMap<GraphPanel, InspectSession>();

export function inspectSessionOf(panel: GraphPanel): InspectSession {
  let s = sessions.get(panel);
  if (!s) sessions.set(panel, (s = new InspectSession(panel)));
  return s;
}
