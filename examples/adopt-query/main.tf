# Adopt a whole server with `terraform query` (Terraform 1.14 and later).
# See docs/guides/adopting-existing-jobs.md.
#
#   terraform query -generate-config-out=adopted.tf
#   terraform plan    # says what to write for secrets JetBackup never returns
#   terraform apply   # imports every object; nothing else is sent
#   terraform plan    # No changes.

terraform {
  required_providers {
    jetbackup = {
      source = "jetbackup-community/jetbackup"
    }
  }
}

provider "jetbackup" {}
