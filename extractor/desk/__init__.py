"""The editors' desk: `derek review` serves a store's documents for review in a browser, and
`derek chart` draws an indicator for reports. Flask and matplotlib load only when used."""

# where the desk may listen without an access token: this machine only (also the Host names
# its pages accept then)
LOCAL_HOSTS = ("127.0.0.1", "localhost")
