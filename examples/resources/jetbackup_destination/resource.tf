variable "s3_access_key" {
  type      = string
  sensitive = true
}

variable "s3_secret_key" {
  type      = string
  sensitive = true
}

# A directory on the JetBackup server (JetIndex engine, type Localv2).
resource "jetbackup_destination" "local" {
  name = "Local backups"
  local {
    path = "/backup"
  }

  lifecycle {
    prevent_destroy = true
  }
}

# Any S3-compatible service through `endpoint` (here Wasabi).
resource "jetbackup_destination" "offsite" {
  name       = "Offsite (Wasabi)"
  threads    = 20
  disk_limit = 90
  s3 {
    bucket     = "example-backups"
    region     = "eu-central-2"
    endpoint   = "s3.eu-central-2.wasabisys.com"
    path       = "/jetbackup"
    access_key = var.s3_access_key
    secret_key = var.s3_secret_key
  }

  lifecycle {
    prevent_destroy = true
  }
}

# A Hetzner Storage Box over SSH, logging in with a key file on the server.
resource "jetbackup_destination" "storage_box" {
  name = "Storage Box"
  ssh {
    host             = "u123456.your-storagebox.de"
    port             = 23
    username         = "u123456"
    path             = "/home/backups"
    private_key_path = "/root/.ssh/id_ed25519"
  }
}
