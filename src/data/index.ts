// Data loading: datasets, DataLoader, splits, scalers, CSV. Real data sets live in ./datasets
// (exported separately as `datasets`).
export { type Dataset, TensorDataset, Subset } from './dataset';
export { DataLoader, defaultCollate, type DataLoaderOptions } from './loader';
export { trainTestSplit, kFold, randomSplit, type TrainTestSplitOptions, type TrainTestSplit, type KFoldOptions, type Fold } from './split';
export { StandardScaler, MinMaxScaler, standardize, minMaxScale, type StandardScalerOptions } from './scale';
export { readCsv, loadCsv, type CsvOptions, type CsvTable, type CsvColumn, type CsvColumnType } from './csv';
export { readIdx, type IdxArray, type IdxType } from './idx';
export { CharVocab, charWindows, unigramEntropy, loadKjv, type CharWindowsOptions } from './text';
