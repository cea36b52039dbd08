// kube-proxy: the mode it runs in on every node.
import { registerArea } from '../framework/area.ts';
import everyNodeReportsMode from './checks/every-node-reports-the-configured-mode.ts';
import { setUpKubeProxy } from './fixtures.ts';

await registerArea('kube-proxy', setUpKubeProxy, [everyNodeReportsMode]);
