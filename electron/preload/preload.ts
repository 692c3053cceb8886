// Preload (sandboxed): exposes exactly one function to the page, `window.yizhan.send`.
import { contextBridge, ipcRenderer } from 'electron';

const IPC_CHANNEL = 'yizhan:call'; // = ipc.ts IPC_CHANNEL; a sandboxed preload imports only 'electron'

contextBridge.exposeInMainWorld('yizhan', {
  // The window's login session (issue 12) travels with each call.
  send: (channel: string, args?: unknown, session?: string) =>
    ipcRenderer.invoke(IPC_CHANNEL, channel, args, session),
});
