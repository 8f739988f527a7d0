/**
 * The PDF worker in the app: an Electron utility process. The RunAsNode fuse is off in release
 * builds, so child_process.fork of the Electron binary is not available; a utility process is
 * Electron's own way to run Node code off the main process, and it can be killed when a layout
 * runs past its time limit.
 */
import { utilityProcess } from 'electron';
import type { WorkerLauncher } from '../documents/render';

export const utilityLauncher: WorkerLauncher = (entry) => {
  const child = utilityProcess.fork(entry, [], { serviceName: 'PDF layout', stdio: 'ignore' });
  return {
    send: (spec) => child.postMessage(spec),
    onMessage: (listener) => child.on('message', listener),
    onExit: (listener) => child.on('exit', (code: number) => listener(code)),
    kill: () => {
      child.kill();
    },
  };
};
