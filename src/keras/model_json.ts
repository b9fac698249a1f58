// The part of model storage the TensorFlow.js loader shares with loadModel: what a saved model is
// and how its model.json is read (both stay in the main bundle; storage.ts and save.ts do not).

/** What a saved model is, whatever the medium: the model.json object and the safetensors bytes. */
export interface ModelArtifacts {
  modelJson: { weightsManifest?: { paths?: string[] }[] } & Record<string, unknown>;
  weightsBytes: Uint8Array;
}

/** JSON.parse with an error naming the file. */
export function parseModelJson(text: string, where: string): ModelArtifacts['modelJson'] {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new Error(`asgrad.loadModel: ${where} is not valid JSON (truncated or corrupted?): ${(e as Error).message}`);
  }
}

