// State dicts <-> safetensors: pure byte conversions, and file helpers for Node, Deno and Bun
// (node:fs/promises is imported on first use, so browser bundles never load it).
import type { Tensor } from '../tensor';
import { decodeSafetensors, encodeSafetensors, type NamedTensors } from './safetensors';

/** A state dict's bytes in safetensors format (PyTorch's `safetensors.torch.save`). */
export function stateDictToSafetensors(sd: NamedTensors, metadata?: Record<string, string>): Uint8Array {
  return encodeSafetensors(sd, metadata);
}

/** New tensors by name from safetensors bytes (the caller owns them); metadata is dropped. */
export function safetensorsToStateDict(bytes: Uint8Array | ArrayBuffer): Record<string, Tensor> {
  return decodeSafetensors(bytes).tensors;
}

async function fsPromises(op: string): Promise<typeof import('node:fs/promises')> {
  try {
    return await import('node:fs/promises');
  } catch {
    throw new Error(`asgrad.${op}: file access needs node:fs (Node, Deno or Bun); in a browser use stateDictToSafetensors / safetensorsToStateDict on bytes`);
  }
}

/**
 * Writes a state dict to a .safetensors file.
 * @example
 * await saveStateDictFile('model.safetensors', model.stateDict());
 * model.loadStateDict(await loadStateDictFile('model.safetensors'));
 */
export async function saveStateDictFile(path: string, sd: NamedTensors, metadata?: Record<string, string>): Promise<void> {
  const bytes = encodeSafetensors(sd, metadata);
  const fs = await fsPromises('saveStateDictFile');
  await fs.writeFile(path, bytes);
}

/** Reads a .safetensors file into new tensors by name (the caller owns and disposes them). */
export async function loadStateDictFile(path: string): Promise<Record<string, Tensor>> {
  return (await loadSafetensorsFile(path)).tensors;
}

/** Reads a .safetensors file: tensors (caller-owned) and metadata. */
export async function loadSafetensorsFile(path: string): Promise<{ tensors: Record<string, Tensor>; metadata: Record<string, string> | null }> {
  const fs = await fsPromises('loadStateDictFile');
  const buf = await fs.readFile(path);
  return decodeSafetensors(new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength));
}
