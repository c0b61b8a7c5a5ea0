// The packet inspector's door for the UI: the capture store and the pure formatters of its records.
export {PacketCapture, type CaptureSnapshot} from './capture.js';
export {describeFraming} from './framing.js';
export {bytesPerRow, dumpRow, dumpRowCount, hexDump} from './hex-dump.js';
export {keptBytes, keptRecords, type PacketRecord, type DataRecord, type EventRecord} from './record.js';
