// Weight-file IO: the safetensors format and state-dict helpers.
export { encodeSafetensors, decodeSafetensors, readSafetensorsHeader, type NamedTensors } from './safetensors';
export { stateDictToSafetensors, safetensorsToStateDict, saveStateDictFile, loadStateDictFile, loadSafetensorsFile } from './statedict';
export type { SafeDType } from './dtypes';
