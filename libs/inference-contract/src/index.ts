// The inference gRPC contract lands with issue 3.
export {};
