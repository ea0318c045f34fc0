//! The gRPC code generated from `proto/` by `build.rs`.

#![allow(clippy::all, clippy::pedantic, missing_docs)]

/// Terraform's plugin protocol 6 (`proto/tfplugin6.proto`).
pub mod tfplugin6 {
    tonic::include_proto!("tfplugin6");
}

/// go-plugin's controller, stdio and broker services (`proto/goplugin.proto`).
pub mod goplugin {
    tonic::include_proto!("plugin");
}
