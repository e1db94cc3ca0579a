// MQTTWriter, put together: the writer (writer.ts) with the methods of its connection, its buffer and its QoS 1
// window, each in a file of its own.
import './connection';
import './reading-buffer';
import './qos-window';

export { MQTTWriter, WriterOptions, payload } from './writer';
