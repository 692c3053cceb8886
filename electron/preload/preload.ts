// Preload (sandboxed): exposes exactly one function to the page, `window.yizhan.send`.
import { contextBridge, ipcRenderer } from 'electron';

const IPC_CHANNEL = 'yizhan:call'; // = ipc.ts IPC_CHANNEL; a sandboxed preload imports only 'electron'

contextBridge.exposeInMainWorld('yizhan', {
  send: (channel: string, args?: unknown) => ipcRenderer.invoke(IPC_CHANNEL, channel, args),
});
