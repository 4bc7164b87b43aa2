from django.apps import AppConfig


class IncidentsConfig(AppConfig):
    name = "accord.incidents"
    label = "incidents"

    def ready(self) -> None:
        from accord.incidents import attention, selectors
        from accord.maritime.mapframes import map_sources_register

        attention.register()
        # The live map colours each party's vessels by that party's own affiliations
        # (its frames are built per party: decision 0104); incidents are drawn there too.
        map_sources_register(
            affiliations=selectors.affiliations_seen_by, incidents=selectors.incidents_on_map
        )
