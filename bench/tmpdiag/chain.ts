import { LEVEL_OPTIONS, NODE_OPTIONS, PORT_SIZE } from '../../src/layout/elkOptions';
import type { ElkGraph } from '../../src/layout/levelGraph';
const ElkCtor = require('elkjs/lib/elk.bundled.js');
const elk = new ElkCtor(); const shim = elk.worker.worker; shim.onmessage = () => {};
shim.dispatcher.saveDispatch({ data: { cmd: 'register', id: -1, algorithms: ['layered'] } });
function layoutNow(graph: ElkGraph): ElkGraph { let a: any; shim.onmessage = (m: any) => { a = m.data; }; shim.dispatcher.saveDispatch({ data: { cmd: 'layout', id: 0, graph, layoutOptions: {}, options: {} } }); if (a.error) throw a.error; return a.data; }
// nodes: [width, height, nIn, nOut]; edges from node i out port a to node i+1 in port b
function chain(nodes: [number, number, number, number][], links: [number, number][]): ElkGraph {
  const children = nodes.map(([w, h, ni, no], i) => ({ id: 'n' + i, width: w, height: h, layoutOptions: NODE_OPTIONS, ports: [
    ...Array.from({ length: ni }, (_, k) => ({ id: `n${i}>in${k}`, width: PORT_SIZE, height: PORT_SIZE, layoutOptions: { 'elk.port.side': 'NORTH', 'elk.port.index': String(k) } })),
    ...Array.from({ length: no }, (_, k) => ({ id: `n${i}>out${k}`, width: PORT_SIZE, height: PORT_SIZE, layoutOptions: { 'elk.port.side': 'SOUTH', 'elk.port.index': String(ni + no - 1 - k) } })),
  ] }));
  const edges = links.map(([a, b], i) => ({ id: 'e' + i, sources: [`n${i}>out${a}`], targets: [`n${i + 1}>in${b}`] }));
  return { id: 'g', layoutOptions: LEVEL_OPTIONS, children, edges } as ElkGraph;
}
const show = (g: ElkGraph) => { const o = layoutNow(g); console.log(`size ${o.width}x${o.height}`); for (const c of o.children) console.log(' ', c.id, c.x, c.y, c.width, c.height, c.ports.map(p => `${p.id.split('>')[1]}@${p.x},${p.y}`).join(' ')); for (const e of o.edges) console.log('  ', e.id, JSON.stringify(e.sections?.map(s => [s.startPoint, s.bendPoints ?? [], s.endPoint]))); };
show(chain([[100, 40, 1, 1]], []));
show(chain([[100, 40, 1, 1], [100, 40, 1, 1]], [[0, 0]]));
show(chain([[100, 40, 1, 1], [160, 52, 2, 1]], [[0, 0]]));
show(chain([[160, 52, 2, 1], [100, 40, 1, 1]], [[0, 0]]));
show(chain([[120, 40, 1, 2], [100, 40, 1, 1], [80, 26, 1, 0]], [[1, 0], [0, 0]]));
show(chain([[120, 40, 3, 2], [100, 40, 2, 1]], [[0, 1]]));
console.log('--- no in ports first; no ports at all');
show(chain([[100, 26, 0, 1], [100, 40, 1, 1]], [[0, 0]]));
show(chain([[100, 26, 0, 0]], []));
show(chain([[100, 40, 1, 0]], []));
show(chain([[100, 40, 0, 2]], []));
