terraform {
  required_providers {
    jetbackup = {
      source = "jetbackup-community/jetbackup"
    }
  }
}

# cPanel/WHM: a WHM API token with the privilege
# "Third Party Services > Additional Software > JetBackup".
# Keep the token out of the file: export JETBACKUP_API_TOKEN=...
provider "jetbackup" {
  endpoint = "https://server.example.com:2087"
  panel    = "cpanel"
  username = "root"
}

# DirectAdmin (Login Key) or a panel-less Linux server (JetBackup token):
# provider "jetbackup" {
#   endpoint = "https://server.example.com:2222"
#   panel    = "directadmin"
#   username = "admin"
# }
#
# A self-signed panel certificate:
# provider "jetbackup" {
#   endpoint    = "https://server.example.com:3035"
#   panel       = "linux"
#   ca_cert_pem = file("${path.module}/panel-ca.pem")
# }
