// The only door the UI and the command line use into the socket service layer.
export {ChatService, type ChatServiceOptions} from './chat-service.js';
export {StartError} from './transport/bind-port.js';
// The packet inspector (F2): the capture the UI opens, and the pure formatters of its records.
export {PacketCapture, type CaptureSnapshot} from './inspect/capture.js';
export {describeFraming} from './inspect/framing.js';
export {bytesPerRow, dumpRow, dumpRowCount} from './inspect/hex-dump.js';
export type {PacketRecord, DataRecord, EventRecord} from './inspect/record.js';
