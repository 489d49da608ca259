# Build with the SDK, run on the ASP.NET runtime as a non-root user.
#   docker build -t aggregator .
#   docker run -d -p 5080:5080 -v aggregator-data:/data -v "$PWD/config:/config:ro" aggregator   (config/ holds feeds.json)
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/Aggregator/Aggregator.csproj src/Aggregator/
RUN dotnet restore src/Aggregator/Aggregator.csproj
COPY src/ src/
RUN dotnet publish src/Aggregator/Aggregator.csproj -c Release -o /app --no-restore

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app ./
COPY feeds.json feeds.schema.json /config/
RUN mkdir -p /data && chown app:app /data
ENV ASPNETCORE_URLS=http://+:5080 \
    DOTNET_gcServer=0
USER app
VOLUME /data
EXPOSE 5080
# The runtime image has no curl: bash's /dev/tcp asks /health/ready and expects a 200.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD bash -c 'exec 3<>/dev/tcp/127.0.0.1/5080 && printf "GET /health/ready HTTP/1.0\r\nHost: localhost\r\n\r\n" >&3 && head -n 1 <&3 | grep -q " 200 "'
ENTRYPOINT ["dotnet", "/app/Aggregator.dll"]
CMD ["serve", "--config", "/config/feeds.json", "--data", "/data"]
