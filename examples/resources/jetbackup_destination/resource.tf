# The S3 keys are write-only (Terraform 1.11 and later): ephemeral
# variables (TF_VAR_s3_access_key, TF_VAR_s3_secret_key) feed them, and no
# plan or state holds them. Bump the versions when the keys change.
variable "s3_access_key" {
  type      = string
  ephemeral = true
}

variable "s3_secret_key" {
  type      = string
  ephemeral = true
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
    bucket                = "example-backups"
    region                = "eu-central-2"
    endpoint              = "s3.eu-central-2.wasabisys.com"
    path                  = "/jetbackup"
    access_key_wo         = var.s3_access_key
    access_key_wo_version = 1
    secret_key_wo         = var.s3_secret_key
    secret_key_wo_version = 1
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
